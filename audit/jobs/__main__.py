from audit.jobs.cli import main

main(prog_name="python -m audit.jobs")
