"""mingshi's contract suite, run against this jurisdiction (see mingshi.testing)."""

from mingshi.testing import ContractSuite


class TestContract(ContractSuite):
    jurisdiction = "wenzhou"
