"""Infrastructure helpers: reading template.yaml, running the AWS emulators locally."""
