module.exports = {
  apps: [
    {
         name: "akuvvet-api",   
      script: "/opt/app/.venv/bin/python",
        interpreter: "none",  
      args: "-m app.main", // run the package, not a file
      cwd: "/opt/app",
      autorestart: true,
   watch: false,
      env: {
        PYTHONUNBUFFERED: "1",   
      },
    },
  ],
};
