'use strict';

module.exports = {
  apps: [
    {
      name: "obojobo",
      script: "./index.js",
      cwd: "./packages/app/obojobo-express",
      instances: process.env.PM2_APP_INSTANCES || "max",
      exec_mode: "cluster",
      max_memory_restart: process.env.PM2_MAX_MEMORY || "200M",
      env: {
        NODE_ENV: "production",
        PORT: process.env.PORT || 3000,
        DEBUG: process.env['DEBUG'] ?? false,
      },
    },
  ],
};
