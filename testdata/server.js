// A small HTTP server: answers "ok" on every path. PORT from the environment (default 3000).
const http = require("http");
const port = Number(process.env.PORT || 3000);
http
  .createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("ok\n");
  })
  .listen(port, "127.0.0.1", () => console.log(`server.js: listening on ${port}`));
process.on("SIGTERM", () => {
  console.log("server.js: SIGTERM, closing");
  process.exit(0);
});
