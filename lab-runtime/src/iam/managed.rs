//! AWS managed policies for Lambda execution roles (docs/lambda-behaviour.md §6.5).

use super::policy::PolicyDocument;

/// `AWSLambdaBasicExecutionRole`: write logs to CloudWatch Logs.
pub const BASIC_EXECUTION: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}"#;

/// `AWSLambdaVPCAccessExecutionRole`: logs plus the ENI actions a VPC function needs.
pub const VPC_ACCESS_EXECUTION: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents","ec2:CreateNetworkInterface","ec2:DescribeNetworkInterfaces","ec2:DescribeSubnets","ec2:DeleteNetworkInterface","ec2:AssignPrivateIpAddresses","ec2:UnassignPrivateIpAddresses"],"Resource":"*"}]}"#;

/// `AWSLambdaSQSQueueExecutionRole`: logs plus what an SQS event source mapping needs.
pub const SQS_QUEUE_EXECUTION: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:ReceiveMessage","sqs:DeleteMessage","sqs:GetQueueAttributes","logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}"#;

/// `AWSLambdaKinesisExecutionRole`: logs plus what a Kinesis event source mapping needs.
pub const KINESIS_EXECUTION: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kinesis:DescribeStream","kinesis:DescribeStreamSummary","kinesis:GetRecords","kinesis:GetShardIterator","kinesis:ListShards","kinesis:ListStreams","kinesis:SubscribeToShard","logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}"#;

/// `AWSLambdaDynamoDBExecutionRole`: logs plus what a DynamoDB Streams mapping needs.
pub const DYNAMODB_EXECUTION: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:DescribeStream","dynamodb:GetRecords","dynamodb:GetShardIterator","dynamodb:ListStreams","logs:CreateLogGroup","logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}"#;

/// The trust policy that lets Lambda assume a role (docs/lambda-behaviour.md §6.4).
pub const LAMBDA_TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

/// A managed policy by name (`AWSLambdaBasicExecutionRole`, `AWSLambdaVPCAccessExecutionRole`,
/// `AWSLambdaSQSQueueExecutionRole`, `AWSLambdaKinesisExecutionRole`,
/// `AWSLambdaDynamoDBExecutionRole`, with or without the `arn:aws:iam::aws:policy/service-role/`
/// prefix).
pub fn managed_policy(name: &str) -> Option<PolicyDocument> {
    let short = name.rsplit('/').next().unwrap_or(name);
    let text = match short {
        "AWSLambdaBasicExecutionRole" => BASIC_EXECUTION,
        "AWSLambdaVPCAccessExecutionRole" => VPC_ACCESS_EXECUTION,
        "AWSLambdaSQSQueueExecutionRole" => SQS_QUEUE_EXECUTION,
        "AWSLambdaKinesisExecutionRole" => KINESIS_EXECUTION,
        "AWSLambdaDynamoDBExecutionRole" => DYNAMODB_EXECUTION,
        _ => return None,
    };
    PolicyDocument::parse(text).ok()
}
