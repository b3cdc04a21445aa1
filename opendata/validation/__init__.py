"""Validation of CKAN input dictionaries (package and resource schemas) before any write."""
from .dataset import DatasetInput, dataset_input_validate
from .resource import ResourceInput, resource_input_validate

__all__ = ["DatasetInput", "ResourceInput", "dataset_input_validate", "resource_input_validate"]
