"""The several-node run with faults (`make test-cluster`)."""
