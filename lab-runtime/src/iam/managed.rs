//! AWS managed policies for Lambda execution roles (docs/lambda-behaviour.md §6.5): the one list
//! the simulator, the scenario format and the lab console's picker read.

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

/// An AWS managed policy the simulator knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ManagedPolicy {
    /// Its name, e.g. `AWSLambdaBasicExecutionRole`.
    pub name: &'static str,
    /// What it grants, in one line (the console shows it beside the name).
    pub summary: &'static str,
    /// The policy document (JSON).
    pub text: &'static str,
}

impl ManagedPolicy {
    /// Its ARN: `arn:aws:iam::aws:policy/service-role/NAME` (all five are service-role policies).
    pub fn arn(&self) -> String {
        format!("arn:aws:iam::aws:policy/service-role/{}", self.name)
    }

    /// The parsed document.
    pub fn document(&self) -> PolicyDocument {
        PolicyDocument::parse(self.text).expect("a managed policy parses")
    }
}

/// The AWS managed policies the simulator knows, in the order the console offers them
/// (docs/lambda-behaviour.md §6.5).
pub const MANAGED_POLICIES: [ManagedPolicy; 5] = [
    ManagedPolicy {
        name: "AWSLambdaBasicExecutionRole",
        summary: "Write logs to CloudWatch Logs (logs:CreateLogGroup, CreateLogStream, PutLogEvents).",
        text: BASIC_EXECUTION,
    },
    ManagedPolicy {
        name: "AWSLambdaVPCAccessExecutionRole",
        summary: "Logs, and the network-interface actions of a function in a VPC (ec2:CreateNetworkInterface, ...).",
        text: VPC_ACCESS_EXECUTION,
    },
    ManagedPolicy {
        name: "AWSLambdaSQSQueueExecutionRole",
        summary: "Logs, and what an SQS mapping needs (sqs:ReceiveMessage, DeleteMessage, GetQueueAttributes).",
        text: SQS_QUEUE_EXECUTION,
    },
    ManagedPolicy {
        name: "AWSLambdaKinesisExecutionRole",
        summary: "Logs, and what a Kinesis mapping needs (kinesis:GetRecords, GetShardIterator, ...).",
        text: KINESIS_EXECUTION,
    },
    ManagedPolicy {
        name: "AWSLambdaDynamoDBExecutionRole",
        summary: "Logs, and what a DynamoDB Streams mapping needs (dynamodb:GetRecords, ...).",
        text: DYNAMODB_EXECUTION,
    },
];

/// A managed policy by name, with or without the `arn:aws:iam::aws:policy/service-role/`
/// prefix (one of [`MANAGED_POLICIES`]).
pub fn find_managed(name: &str) -> Option<&'static ManagedPolicy> {
    let short = name.rsplit('/').next().unwrap_or(name);
    MANAGED_POLICIES.iter().find(|m| m.name == short)
}

/// The document of a managed policy by name (see [`find_managed`]).
pub fn managed_policy(name: &str) -> Option<PolicyDocument> {
    find_managed(name).map(ManagedPolicy::document)
}
