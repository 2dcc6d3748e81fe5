"""What people run: the `motcua` command line, the server and the answerability calibration."""
