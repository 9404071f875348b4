use super::*;

fn doc(s: &str) -> PolicyDocument {
    PolicyDocument::parse(s).unwrap()
}

fn req<'a>(principal: Option<&'a str>, action: &'a str, resource: &'a str) -> Request<'a> {
    Request {
        principal,
        action,
        resource,
        context: &[],
    }
}

#[test]
fn default_deny_when_no_statement_matches() {
    // docs/lambda-behaviour.md §6.8: default deny
    let d = doc(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#,
    );
    assert_eq!(
        evaluate([&d], &req(None, "s3:PutObject", "arn:aws:s3:::b/k")),
        Decision::ImplicitDeny
    );
    assert_eq!(
        evaluate([&d], &req(None, "s3:GetObject", "arn:aws:s3:::b/k")),
        Decision::Allow
    );
}

#[test]
fn explicit_deny_beats_any_allow() {
    // docs/lambda-behaviour.md §6.8: an explicit Deny beats any Allow
    let allow = doc(
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*"}}"#,
    );
    let deny = doc(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"dynamodb:DeleteItem","Resource":"*"}]}"#,
    );
    let r = req(
        None,
        "dynamodb:DeleteItem",
        "arn:aws:dynamodb:us-east-1:1:table/t",
    );
    assert_eq!(evaluate([&allow, &deny], &r), Decision::ExplicitDeny);
    assert_eq!(evaluate([&allow], &r), Decision::Allow);
}

#[test]
fn star_and_question_mark_wildcards_match() {
    // docs/lambda-behaviour.md §6.8: actions and resources match with * and ?
    assert!(wildcard("dynamodb:Get*", "dynamodb:GetItem", true));
    assert!(wildcard(
        "arn:aws:s3:::bucket-?/*",
        "arn:aws:s3:::bucket-a/x/y",
        false
    ));
    assert!(!wildcard(
        "arn:aws:s3:::bucket-?/*",
        "arn:aws:s3:::bucket-ab/x",
        false
    ));
    assert!(wildcard("LAMBDA:invoke*", "lambda:InvokeFunction", true));
    assert!(!wildcard("arn:aws:s3:::A", "arn:aws:s3:::a", false));
}

#[test]
fn resource_policy_conditions_source_arn_and_account() {
    // docs/lambda-behaviour.md §6.2: AWS:SourceArn (ArnLike) and AWS:SourceAccount
    let d = doc(
        r#"{"Version":"2012-10-17","Statement":[{"Sid":"s3","Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},
        "Action":"lambda:InvokeFunction","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f",
        "Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::uploads-*"},"StringEquals":{"AWS:SourceAccount":"123456789012"}}}]}"#,
    );
    let res = "arn:aws:lambda:us-east-1:123456789012:function:f";
    let ok_ctx = [
        ("aws:SourceArn", "arn:aws:s3:::uploads-1"),
        ("aws:SourceAccount", "123456789012"),
    ];
    let r = Request {
        principal: Some("s3.amazonaws.com"),
        action: "lambda:InvokeFunction",
        resource: res,
        context: &ok_ctx,
    };
    assert_eq!(evaluate([&d], &r), Decision::Allow);
    let bad_arn = [
        ("aws:SourceArn", "arn:aws:s3:::other"),
        ("aws:SourceAccount", "123456789012"),
    ];
    assert_eq!(
        evaluate(
            [&d],
            &Request {
                context: &bad_arn,
                ..r
            }
        ),
        Decision::ImplicitDeny
    );
    let bad_acct = [
        ("aws:SourceArn", "arn:aws:s3:::uploads-1"),
        ("aws:SourceAccount", "999999999999"),
    ];
    assert_eq!(
        evaluate(
            [&d],
            &Request {
                context: &bad_acct,
                ..r
            }
        ),
        Decision::ImplicitDeny
    );
    assert_eq!(
        evaluate(
            [&d],
            &Request {
                principal: Some("sns.amazonaws.com"),
                ..r
            }
        ),
        Decision::ImplicitDeny
    );
}

#[test]
fn account_principal_covers_its_users() {
    let d = doc(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"lambda:InvokeFunction","Resource":"*"}]}"#,
    );
    let r = req(
        Some("arn:aws:iam::111122223333:user/dev"),
        "lambda:InvokeFunction",
        "x",
    );
    assert_eq!(evaluate([&d], &r), Decision::Allow);
    let r2 = req(
        Some("arn:aws:iam::444455556666:user/dev"),
        "lambda:InvokeFunction",
        "x",
    );
    assert_eq!(evaluate([&d], &r2), Decision::ImplicitDeny);
}

#[test]
fn policy_errors_say_where_and_why() {
    let e = PolicyDocument::parse(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Alow","Action":"s3:*"}]}"#,
    )
    .unwrap_err();
    assert_eq!(
        e.message,
        "Statement[0].Effect: unknown value \"Alow\" (expected \"Allow\" or \"Deny\")"
    );
    let e = PolicyDocument::parse("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n}")
        .unwrap_err();
    assert!(
        e.message.starts_with("invalid JSON at line 4, column 1"),
        "{}",
        e.message
    );
    let e =
        PolicyDocument::parse(r#"{"Statement":[{"Effect":"Allow","Action":"InvokeFunction"}]}"#)
            .unwrap_err();
    assert!(
        e.message.contains("Statement[0].Action[0]"),
        "{}",
        e.message
    );
    let e = PolicyDocument::parse(
        r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Condition":{"IpAddress":{}}}]}"#,
    )
    .unwrap_err();
    assert!(e.message.contains("unsupported operator \"IpAddress\""));
}

#[test]
fn trust_policy_must_name_lambda_service() {
    // docs/lambda-behaviour.md §6.4
    let good = Role {
        name: "r".into(),
        trust_policy: doc(LAMBDA_TRUST),
        policies: vec![],
        managed: vec![],
    };
    assert!(good.trusts_lambda());
    let ec2 = LAMBDA_TRUST.replace("lambda.amazonaws.com", "ec2.amazonaws.com");
    let bad = Role {
        name: "r".into(),
        trust_policy: doc(&ec2),
        policies: vec![],
        managed: vec![],
    };
    assert!(!bad.trusts_lambda());
}

#[test]
fn managed_policies_grant_logs_and_eni_actions() {
    // docs/lambda-behaviour.md §6.5
    let basic = managed_policy("AWSLambdaBasicExecutionRole").unwrap();
    let vpc =
        managed_policy("arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole")
            .unwrap();
    for a in [
        "logs:CreateLogGroup",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
    ] {
        assert_eq!(evaluate([&basic], &req(None, a, "*")), Decision::Allow);
    }
    assert_eq!(
        evaluate([&basic], &req(None, "ec2:CreateNetworkInterface", "*")),
        Decision::ImplicitDeny
    );
    for a in [
        "ec2:CreateNetworkInterface",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeSubnets",
        "ec2:DeleteNetworkInterface",
        "ec2:AssignPrivateIpAddresses",
        "ec2:UnassignPrivateIpAddresses",
        "logs:PutLogEvents",
    ] {
        assert_eq!(evaluate([&vpc], &req(None, a, "*")), Decision::Allow, "{a}");
    }
}

#[test]
fn denied_downstream_call_message_matches_aws() {
    // docs/lambda-behaviour.md §6.7
    let m = assumed_role_denied(
        "123456789012",
        "orders-role",
        "orders-fn",
        "dynamodb:PutItem",
        "arn:aws:dynamodb:us-east-1:123456789012:table/orders",
        Decision::ImplicitDeny,
    );
    assert_eq!(m, "User: arn:aws:sts::123456789012:assumed-role/orders-role/orders-fn is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:123456789012:table/orders because no identity-based policy allows the dynamodb:PutItem action");
}

#[test]
fn principal_account_reads_iam_user_and_role_arns_only() {
    assert_eq!(
        principal_account("arn:aws:iam::123456789012:user/alice"),
        Some("123456789012")
    );
    assert_eq!(
        principal_account("arn:aws:iam::444455556666:role/partner"),
        Some("444455556666")
    );
    assert_eq!(
        principal_account("arn:aws:sts::111122223333:assumed-role/r/s"),
        Some("111122223333")
    );
    for other in [
        "123456789012",
        "s3.amazonaws.com",
        "arn:aws:iam::1:group/g",
        "*",
    ] {
        assert_eq!(principal_account(other), None, "{other}");
    }
}
