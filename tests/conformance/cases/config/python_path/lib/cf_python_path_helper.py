WHO = "helper from lib/"
