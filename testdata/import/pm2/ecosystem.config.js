'use strict';
const path = require('path');

// Read without running it: process.env with fallbacks, paths from this folder.
module.exports = {
  apps: [
    {
      name: 'web',
      script: 'index.js',
      cwd: path.join(__dirname, 'web'),
      env: {
        PORT: process.env.PORT || 3000,
        API_URL: process.env.API_URL ?? 'http://localhost:8080',
        HOME_DIR: __dirname,
      },
      instances: process.env.WEB_INSTANCES || 2,
    },
  ],
};
