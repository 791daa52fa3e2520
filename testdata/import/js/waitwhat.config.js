module.exports = {
	apps : [
		{
			name : "waitwhat",
			script : "./bin/www",
			watch : true,
			ignore_watch : ["node_modules", "!start.bat",],
			env : {
				NODE_ENV : "development",
			},
		},
	],
}