"""The one exception tree every taglines error belongs to.

Catch :class:`TaglinesError` to handle anything the package raises on purpose. Every message
names the resource involved (file, ARN, endpoint, URL) and says what to do next.

Example:
    >>> from taglines import DataError, TaglinesError
    >>> issubclass(DataError, TaglinesError)
    True
"""

from __future__ import annotations


class TaglinesError(Exception):
    """Base class for all errors raised by taglines."""


class ConfigError(TaglinesError):
    """Settings are missing, contradictory or invalid; the message names the variable to set."""


class DataError(TaglinesError):
    """A data file or S3 object is missing or malformed, or an id is unknown."""


class RecommendationError(TaglinesError):
    """The recommender (Amazon Personalize or local) could not produce recommendations."""


class GenerationError(TaglinesError):
    """A text or image model call failed or returned something unusable."""


class ProvisioningError(TaglinesError):
    """Creating or deleting AWS resources failed; the message says which resource and why."""
