module.exports = {
  apps: [
    {
      name: 'api',
      script: 'server.js',
      instances: require('os').cpus().length,
    },
  ],
};
