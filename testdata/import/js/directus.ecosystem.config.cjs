/**
 * Directus's PM2 file: the instance count, cluster mode and restart come from the environment.
 */
module.exports = [
	{
		name: 'directus',
		script: 'cli.js',
		args: ['start'],

		// General
		instances: process.env.PM2_INSTANCES ?? 1,
		exec_mode: process.env.PM2_EXEC_MODE ?? 'cluster',
		max_memory_restart: process.env.PM2_MAX_MEMORY_RESTART,

		// Restart
		min_uptime: process.env.PM2_MIN_UPTIME,
		listen_timeout: process.env.PM2_LISTEN_TIMEOUT,
		kill_timeout: process.env.PM2_KILL_TIMEOUT,
		max_restarts: process.env.PM2_MAX_RESTARTS,
		restart_delay: process.env.PM2_RESTART_DELAY ?? 0,
		autorestart: (process.env.PM2_AUTORESTART ?? 'true') === 'true',
	},
];
