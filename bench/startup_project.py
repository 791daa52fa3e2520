"""What bench/startup-ab.py and bench/startup-classes.py share: the builds named on the command
line and the project of 10 processes they start."""
import os
import sys
import tempfile


def builds(usage):
    """NAME=PMJ arguments as [name, path] pairs; exits with the usage when they are not."""
    pairs = [a.split("=", 1) for a in sys.argv[1:]]
    if not pairs or any(len(b) != 2 for b in pairs):
        sys.exit(usage)
    return pairs


def project_of_ten(prefix):
    """A temporary folder holding p10/pmj.yaml: 10 processes, each printing ready-N, then idle.
    Returns (folder, project folder)."""
    work = tempfile.mkdtemp(prefix=prefix)
    project = os.path.join(work, "p10")
    os.makedirs(project)
    with open(os.path.join(project, "pmj.yaml"), "w") as f:
        f.write("version: 1\nprocesses:\n")
        for i in range(1, 11):
            f.write(f"  p{i}:\n    command: sh -c 'echo ready-{i}; exec sleep 1000'\n")
    return work, project
