"""AWS adapters (production): DynamoDB, S3, EventBridge, and the Modal dispatcher.

boto3 clients honour `AWS_ENDPOINT_URL`, which the tests point at DynamoDB Local and a moto
server on 127.0.0.1.
"""
