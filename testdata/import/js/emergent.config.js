let appName = 'change-me'
let port = 3000

module.exports = {
  apps: [
    {
      name: appName + '-web',
      script: './web-server.js',
      env: {
        PORT: port,
        PUBLIC_URL: 'http://localhost:' + port + '/' + appName,
      },
    },
  ],
}
