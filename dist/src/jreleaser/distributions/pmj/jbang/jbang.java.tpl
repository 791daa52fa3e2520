//usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA {{distributionJavaVersion}}+
//DEPS {{jbangDistributionGA}}:{{projectVersion}}
// pmj's manifest exports sun.nio.ch to it under `java -jar` only; jbang starts it from a class path.
//JAVA_OPTIONS --add-exports=java.base/sun.nio.ch=ALL-UNNAMED
// {{jreleaserCreationStamp}}

public class {{jbangScriptName}} {
    public static void main(String... args) throws Exception {
        {{distributionJavaMainClass}}.main(args);
    }
}
