const path = require('path');

module.exports = {
  apps: [
    {
      name: 'server',
      script: path.join(__dirname, 'dist/index.js'),
      cwd: path.resolve(__dirname),
      args: '--port 3000',
      error_file: __dirname + '/logs/error.log',
    },
  ],
};
