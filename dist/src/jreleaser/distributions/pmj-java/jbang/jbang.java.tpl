//usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA {{distributionJavaVersion}}+
//DEPS {{jbangDistributionGA}}:{{projectVersion}}
// The jar's manifest opens sun.nio.ch only to `java -jar`; jbang runs a class path (FIELD-NOTES).
//JAVA_OPTIONS --add-exports=java.base/sun.nio.ch=ALL-UNNAMED
// {{jreleaserCreationStamp}}

public class {{jbangScriptName}} {
    public static void main(String... args) throws Exception {
        {{distributionJavaMainClass}}.main(args);
    }
}
