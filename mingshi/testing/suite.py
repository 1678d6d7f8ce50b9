"""Collected by ``pytest -p mingshi.testing --jurisdiction CODE``: the contract suite for each
jurisdiction named on the command line."""

from mingshi.testing import ContractSuite


class TestJurisdictionContract(ContractSuite):
    jurisdiction = ""  # from --jurisdiction
