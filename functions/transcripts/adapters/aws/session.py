"""boto3's default session, with a botocore data loader that does not list every service.

Before botocore loads any model of a service (its API, its endpoint rules, its paginators), its
Loader lists every service it ships to check that the name is one: some 440 directories listed
and stat'ed, once for each kind of model (10-20 ms each, and the DynamoDB client every cold
start makes loads two kinds). This loader looks in the named service's own directory instead;
what it loads, and the error for a name that is not a service, are botocore's.
"""

from __future__ import annotations

import os

import boto3
from botocore.exceptions import DataNotFoundError, UnknownServiceError
from botocore.loaders import Loader, create_loader, instance_cache


class NamedServiceLoader(Loader):
    @instance_cache
    def load_service_model(self, service_name, type_name, api_version=None):
        """botocore's `Loader.load_service_model`, its check of the name made by `_provides`."""
        if not self._provides(service_name, type_name):
            raise UnknownServiceError(service_name=service_name,
                                      known_service_names=", ".join(self.list_available_services(type_name)))
        if api_version is None:
            api_version = self.determine_latest_version(service_name, type_name)
        model = self.load_data(os.path.join(service_name, api_version, type_name))
        self._extras_processor.process(model, self._find_extras(service_name, type_name, api_version))
        return model

    def _provides(self, service_name: str, type_name: str) -> bool:
        """What `service_name in list_available_services(type_name)` says (some API version of
        the service has this kind of model), from the service's own directory."""
        try:
            return bool(self.list_api_versions(service_name, type_name))
        except DataNotFoundError:
            return False


def default_session() -> boto3.Session:
    """boto3's default session (the one `boto3.client` uses) with the loader above, set up
    once per process; hooks already registered on the session stay."""
    if boto3.DEFAULT_SESSION is None:
        boto3.setup_default_session()
    core = boto3.DEFAULT_SESSION._session  # the botocore session, which boto3 keeps private
    if not isinstance(core.get_component("data_loader"), NamedServiceLoader):
        # The search paths botocore would use (AWS_DATA_PATH included).
        paths = create_loader(core.get_config_variable("data_path")).search_paths
        core.register_component("data_loader", NamedServiceLoader(extra_search_paths=paths,
                                                                  include_default_search_paths=False))
    return boto3.DEFAULT_SESSION
