"""The scaled-out deployment (README.md here) and a launcher of it on one machine (`python -m deploy.scale_env`)."""
