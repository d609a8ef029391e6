"""The DynamoDB table every AWS adapter reads and writes: boto3's `Table` resource without the
resource layer.

`boto3.resource("dynamodb").Table(name)` builds the table's classes from boto3's resource model
when it is made (the model loaded, every service directory botocore ships listed to find it): a
tenth of the API function's cold start, for five methods. Here they are on the low-level
client, with the conversion the resource registers on its client (boto3's own
`TransformationInjector`): Python values in, Python values out (numbers as Decimal), and
responses as the resource's methods return them."""

from __future__ import annotations

from boto3.dynamodb.transform import TransformationInjector, copy_dynamodb_params


class DynamoTable:
    def __init__(self, client, name: str):
        self.client = client  # a boto3 DynamoDB client, made for this table alone
        self.name = name
        # The handlers (and unique ids) boto3's DynamoDBHighLevelResource registers.
        events, injector = client.meta.events, TransformationInjector()
        events.register("provide-client-params.dynamodb", copy_dynamodb_params,
                        unique_id="dynamodb-create-params-copy")
        events.register("before-parameter-build.dynamodb", injector.inject_condition_expressions,
                        unique_id="dynamodb-condition-expression")
        events.register("before-parameter-build.dynamodb", injector.inject_attribute_value_input,
                        unique_id="dynamodb-attr-value-input")
        events.register("after-call.dynamodb", injector.inject_attribute_value_output,
                        unique_id="dynamodb-attr-value-output")

    def get_item(self, **params) -> dict:
        return self.client.get_item(TableName=self.name, **params)

    def put_item(self, **params) -> dict:
        return self.client.put_item(TableName=self.name, **params)

    def update_item(self, **params) -> dict:
        return self.client.update_item(TableName=self.name, **params)

    def delete_item(self, **params) -> dict:
        return self.client.delete_item(TableName=self.name, **params)

    def query(self, **params) -> dict:
        return self.client.query(TableName=self.name, **params)


def dynamo_table(name: str, session=None) -> DynamoTable:
    """The table on a client of its own (the conversion handlers are registered on the client);
    `session`: a boto3 Session, else boto3's default one."""
    import boto3

    return DynamoTable((session or boto3).client("dynamodb"), name)
