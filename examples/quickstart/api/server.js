// The quickstart's API: /health for pmj's readiness probe, /hello for the worker.
const http = require("http");
const port = Number(process.env.PORT || 3000);
let hits = 0;
const server = http.createServer((req, res) => {
  if (req.url === "/health") {
    res.writeHead(200, { "content-type": "text/plain" });
    return res.end("ok\n");
  }
  hits += 1;
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ greeting: process.env.GREETING || "hello", hits }) + "\n");
});
server.listen(port, "127.0.0.1", () => console.log(`api listening on http://127.0.0.1:${port}`));
process.on("SIGTERM", () => {
  console.log("api: stopping");
  server.close(() => process.exit(0));
});
