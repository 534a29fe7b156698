# served through the handler
