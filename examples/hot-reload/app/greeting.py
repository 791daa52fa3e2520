# Edit this line and save: pmj restarts the server with the new text.
GREETING = "hello from hot-reload"
