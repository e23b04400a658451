"""The API's resources: tickets and what is done to them, files, and the directory."""
