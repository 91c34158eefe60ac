using System.Net;
using System.Text.Json.Nodes;
using OtpGate.Sandbox.Tests.Support;

namespace OtpGate.Sandbox.Tests.Api;

public sealed class SendTemplateValidationTests(SharedSandbox shared) : IClassFixture<SharedSandbox>
{
    private const string Mismatch = "Number of parameters does not match the expected number of params (132000): ";

    private readonly SandboxApi _api = shared.Api;

    private static string NextPhone() => "4420" + Interlocked.Increment(ref s_phone).ToString("D7");

    private static int s_phone;

    [Fact]
    public async Task Seed_shaped_request_is_accepted_with_a_wamid()
    {
        var phone = NextPhone();
        var answer = await _api.SendAsync(Requests.Otp(phone));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.True(answer.Json["sent"]!.GetValue<bool>());
        Assert.Equal($"Sent to {phone}@c.us", answer.Message);
        Assert.Equal("Message has been sent to the provider", answer.Json["description"]!.GetValue<string>());
        var id = answer.Json["id"]!.GetValue<string>();
        Assert.StartsWith("wamid.", id);
        Assert.NotEmpty(Convert.FromBase64String(id["wamid.".Length..]));
    }

    [Fact]
    public async Task Malformed_json_is_answered_400()
    {
        var answer = await _api.PostRawAsync("sendTemplate", "{\"phone\": ");
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("""{"message":"Wrong request: the body is not valid JSON"}""", answer.Text);
    }

    [Fact]
    public async Task A_json_array_body_is_answered_400_like_malformed_json()
    {
        var answer = await _api.PostRawAsync("sendTemplate", "[1,2]");
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("Wrong request: the body is not valid JSON", answer.Message);
    }

    [Fact]
    public async Task Malformed_json_without_a_valid_token_is_answered_401_not_400()
    {
        var answer = await _api.PostRawAsync("sendTemplate", "{oops", bearer: "not-the-token");
        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
    }

    [Theory]
    [InlineData("+1 (212) 555-0142", "12125550142")]
    [InlineData("1.212.555.0143", "12125550143")]
    [InlineData("123456", "123456")]
    [InlineData("123456789012345", "123456789012345")]
    public async Task Phone_separators_are_stripped(string phone, string digits)
    {
        var answer = await _api.SendAsync(Requests.Otp(phone));
        Assert.Equal($"Sent to {digits}@c.us", answer.Message);
    }

    [Fact]
    public async Task ChatId_is_accepted_instead_of_phone()
    {
        var answer = await _api.SendAsync(Requests.Otp().Without("phone").With("chatId", "12125550144@c.us"));
        Assert.Equal("Sent to 12125550144@c.us", answer.Message);
    }

    [Fact]
    public async Task Missing_phone_and_chatId_is_a_wrong_phone_number()
    {
        var answer = await _api.SendAsync(Requests.Otp().Without("phone"));
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.StartsWith("Wrong phone number: ", answer.Message);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("1234567890123456")]
    [InlineData("+1 212 555 01ab")]
    public async Task Phone_that_is_not_6_to_15_digits_is_a_wrong_phone_number(string phone)
    {
        var answer = await _api.SendAsync(Requests.Otp(phone));
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.StartsWith("Wrong phone number: ", answer.Message);
    }

    [Theory]
    [InlineData("12125550100@g.us")]
    [InlineData("abc@c.us")]
    [InlineData("123@c.us")]
    public async Task ChatId_that_is_not_digits_at_c_us_is_a_wrong_chat_id(string chatId)
    {
        var answer = await _api.SendAsync(Requests.Otp().Without("phone").With("chatId", chatId));
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.StartsWith("Wrong chatId: ", answer.Message);
    }

    [Theory]
    [InlineData("template")]
    [InlineData("language")]
    public async Task Missing_template_or_language_is_template_is_not_defined(string field)
    {
        var answer = await _api.SendAsync(Requests.Otp(NextPhone()).Without(field));
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("""{"message":"template is not defined"}""", answer.Text);
    }

    [Fact]
    public async Task Language_without_code_is_template_is_not_defined()
    {
        var answer = await _api.SendAsync(Requests.Otp().With("language", new JsonObject { ["policy"] = "deterministic" }));
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("template is not defined", answer.Message);
    }

    [Fact]
    public async Task Missing_namespace_is_answered_422()
    {
        var answer = await _api.SendAsync(Requests.Otp().Without("namespace"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        Assert.Equal("""{"message":"namespace is not defined"}""", answer.Text);
    }

    [Fact]
    public async Task Unknown_template_name_does_not_exist()
    {
        var answer = await _api.SendAsync(Requests.Otp().With("template", "login_otp"));
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("template login_otp with language en does not exist (132001)", answer.Message);
    }

    [Fact]
    public async Task Known_template_in_a_missing_language_does_not_exist()
    {
        var body = Requests.Otp();
        body["language"]!["code"] = "pt_BR";
        var answer = await _api.SendAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("template registration_otp with language pt_BR does not exist (132001)", answer.Message);
    }

    [Fact]
    public async Task A_configured_language_is_accepted_and_rendered_in_that_language()
    {
        var phone = NextPhone();
        var body = Requests.Otp(phone, "777111");
        body["language"]!["code"] = "es";
        var answer = await _api.SendAsync(body);

        Assert.True(answer.Json["sent"]!.GetValue<bool>());
        var message = Assert.Single(shared.Sandbox.Messages.GetMessages(phone));
        Assert.Equal("777111 es tu código de verificación. Por tu seguridad, no lo compartas.", message.Text);
    }

    [Fact]
    public async Task Wrong_namespace_is_answered_422()
    {
        var answer = await _api.SendAsync(Requests.Otp().With("namespace", "someone_else"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        Assert.Equal("namespace someone_else does not match template registration_otp", answer.Message);
    }

    [Fact]
    public async Task Paused_template_is_not_approved()
    {
        var answer = await _api.SendAsync(Requests.Otp().With("template", "paused_otp"));
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("template paused_otp is not approved (status: paused)", answer.Message);
    }

    [Theory]
    [InlineData("fallback")]
    [InlineData(null)]
    public async Task Language_policy_other_than_deterministic_is_refused(string? policy)
    {
        var body = Requests.Otp();
        body["language"]!["policy"] = policy;
        var answer = await _api.SendAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("""{"message":"language.policy must be \"deterministic\""}""", answer.Text);
    }

    [Fact]
    public async Task Authentication_template_sent_body_only_is_not_sent()
    {
        var phone = NextPhone();
        var answer = await _api.SendAsync(Requests.Otp(phone).WithoutComponent(1));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(
            """{"sent":false,"message":"Authentication templates require the code in the body and in the copy-code button parameter"}""",
            answer.Text);
        Assert.Empty(shared.Sandbox.Messages.GetMessages(phone));
        Assert.Equal(1, shared.Sandbox.Messages.GetRequestCount(phone));
    }

    [Fact]
    public async Task Missing_body_is_a_parameter_count_mismatch()
    {
        var answer = await _api.SendAsync(Requests.Otp().WithoutComponent(0));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        Assert.Equal(Mismatch + "body expects 1, got 0", answer.Message);
    }

    [Fact]
    public async Task No_params_at_all_is_a_parameter_count_mismatch()
    {
        var answer = await _api.SendAsync(Requests.Otp().Without("params"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        Assert.Equal("""{"message":"Number of parameters does not match the expected number of params (132000): body expects 1, got 0"}""", answer.Text);
    }

    [Fact]
    public async Task Two_body_parameters_for_one_variable_is_a_parameter_count_mismatch()
    {
        var body = Requests.Otp();
        body["params"]![0]!["parameters"]!.AsArray().Add(new JsonObject { ["type"] = "text", ["text"] = "x" });
        var answer = await _api.SendAsync(body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        Assert.Equal(Mismatch + "body expects 1, got 2", answer.Message);
    }

    [Fact]
    public async Task Button_without_parameters_is_a_parameter_count_mismatch()
    {
        var body = Requests.Otp();
        body.Button()["parameters"] = new JsonArray();
        var answer = await _api.SendAsync(body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        Assert.Equal(Mismatch + "button 0 expects 1, got 0", answer.Message);
    }

    [Fact]
    public async Task Component_the_template_does_not_define_is_a_parameter_count_mismatch()
    {
        var header = Requests.Otp();
        header["params"]!.AsArray().Add(new JsonObject { ["type"] = "header", ["parameters"] = new JsonArray() });
        var secondButton = Requests.Otp();
        secondButton["params"]!.AsArray().Add(new JsonObject
        {
            ["type"] = "button",
            ["sub_type"] = "url",
            ["index"] = 1,
            ["parameters"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "123456" }),
        });

        var headerAnswer = await _api.SendAsync(header);
        var buttonAnswer = await _api.SendAsync(secondButton);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, headerAnswer.Status);
        Assert.Equal(Mismatch + "the template has no header component", headerAnswer.Message);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, buttonAnswer.Status);
        Assert.Equal(Mismatch + "the template has no button 1 with a variable", buttonAnswer.Message);
    }

    [Fact]
    public async Task Quick_reply_sub_type_does_not_fill_the_copy_code_button()
    {
        var body = Requests.Otp();
        body.Button()["sub_type"] = "quick_reply";
        var answer = await _api.SendAsync(body);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        Assert.StartsWith(Mismatch, answer.Message);
    }

    [Fact]
    public async Task Flat_list_of_strings_as_params_is_refused()
    {
        var answer = await _api.SendAsync(Requests.Otp().With("params", new JsonArray("123456")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        Assert.StartsWith(Mismatch, answer.Message);
    }

    [Fact]
    public async Task Button_index_as_number_and_copy_code_sub_type_are_accepted()
    {
        var body = Requests.Otp(NextPhone());
        body.Button()["index"] = 0;
        body.Button()["sub_type"] = "copy_code";
        var answer = await _api.SendAsync(body);
        Assert.True(answer.Json["sent"]!.GetValue<bool>(), answer.Text);
    }

    [Fact]
    public async Task Parameter_without_text_is_a_missing_parameter()
    {
        var body = Requests.Otp();
        body["params"]![0]!["parameters"]![0]!.AsObject().Remove("text");
        var answer = await _api.SendAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.StartsWith("(131008) Required parameter is missing", answer.Message);
    }

    [Fact]
    public async Task Code_over_15_characters_is_refused()
    {
        var answer = await _api.SendAsync(Requests.Otp(code: "1234567890123456"));
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(
            """{"message":"(131009) Parameter value is not valid: a verification code may have at most 15 characters"}""",
            answer.Text);
    }

    [Fact]
    public async Task Code_of_exactly_15_characters_is_accepted()
    {
        var answer = await _api.SendAsync(Requests.Otp(NextPhone(), code: "ABCDEFGHIJ12345"));
        Assert.True(answer.Json["sent"]!.GetValue<bool>(), answer.Text);
    }

    [Fact]
    public async Task Different_body_and_button_codes_are_not_sent()
    {
        var phone = NextPhone();
        var answer = await _api.SendAsync(Requests.Otp(phone, "123456", buttonCode: "654321"));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("""{"sent":false,"message":"The copy-code button must carry the same code as the body"}""", answer.Text);
        Assert.Empty(shared.Sandbox.Messages.GetMessages(phone));
    }

    [Theory]
    [InlineData(29)]
    [InlineData(901)]
    [InlineData(0)]
    [InlineData(-2)]
    public async Task Authentication_ttl_outside_30_to_900_is_refused(int seconds)
    {
        var answer = await _api.SendAsync(Requests.Otp().With("messageSendTtlSeconds", seconds));
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("messageSendTtlSeconds must be between 30 and 900 seconds, or -1, for AUTHENTICATION templates", answer.Message);
    }

    [Theory]
    [InlineData(30, 30)]
    [InlineData(900, 900)]
    [InlineData(-1, 30 * 24 * 3600)]
    public async Task Authentication_ttl_in_range_is_kept_with_the_message(int seconds, int expected)
    {
        var phone = NextPhone();
        var answer = await _api.SendAsync(Requests.Otp(phone).With("messageSendTtlSeconds", seconds));
        Assert.True(answer.Json["sent"]!.GetValue<bool>(), answer.Text);
        Assert.Equal(TimeSpan.FromSeconds(expected), Assert.Single(shared.Sandbox.Messages.GetMessages(phone)).Ttl);
    }

    [Fact]
    public async Task Ttl_defaults_to_ten_minutes_for_authentication()
    {
        var phone = NextPhone();
        await _api.SendAsync(Requests.Otp(phone));
        Assert.Equal(TimeSpan.FromMinutes(10), Assert.Single(shared.Sandbox.Messages.GetMessages(phone)).Ttl);
    }

    [Fact]
    public async Task Utility_template_with_two_body_variables_and_no_button_is_accepted()
    {
        var phone = NextPhone();
        var body = new JsonObject
        {
            ["phone"] = phone,
            ["template"] = "order_update",
            ["namespace"] = "otpgate_sandbox",
            ["language"] = new JsonObject { ["policy"] = "deterministic", ["code"] = "en" },
            ["params"] = new JsonArray(new JsonObject
            {
                ["type"] = "body",
                ["parameters"] = new JsonArray(
                    new JsonObject { ["type"] = "text", ["text"] = "Ana" },
                    new JsonObject { ["type"] = "text", ["text"] = "A-1000000000000000" }),
            }),
            ["messageSendTtlSeconds"] = 3600,
        };

        var answer = await _api.SendAsync(body);

        Assert.True(answer.Json["sent"]!.GetValue<bool>(), answer.Text);
        Assert.Equal("Hello Ana, your order A-1000000000000000 has shipped.", Assert.Single(shared.Sandbox.Messages.GetMessages(phone)).Text);
    }

    [Fact]
    public async Task Validation_runs_in_the_documented_order()
    {
        // Everything wrong at once: each fix reveals the next check in the documented order.
        var body = new JsonObject
        {
            ["phone"] = "12",
            ["namespace"] = "wrong",
            ["language"] = new JsonObject { ["policy"] = "fallback", ["code"] = "en" },
            ["params"] = new JsonArray(new JsonObject
            {
                ["type"] = "body",
                ["parameters"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "1234567890123456" }),
            }),
            ["messageSendTtlSeconds"] = 5,
        };
        List<string?> answers = [];
        async Task Next(Action<JsonObject> fix)
        {
            fix(body);
            answers.Add((await _api.SendAsync(body)).Text);
        }

        await Next(_ => { });
        await Next(b => b["phone"] = NextPhone());
        await Next(b => b["template"] = "registration_otp");
        await Next(b => b["namespace"] = "otpgate_sandbox");
        await Next(b => b["language"]!["policy"] = "deterministic");
        await Next(b => b["params"]!.AsArray().Add(new JsonObject
        {
            ["type"] = "button",
            ["sub_type"] = "url",
            ["index"] = "0",
            ["parameters"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "111111" }),
        }));
        await Next(b => b["params"]![0]!["parameters"]![0]!["text"] = "222222");
        await Next(b => b.Button()["parameters"]![0]!["text"] = "222222");
        await Next(b => b["messageSendTtlSeconds"] = 300);

        Assert.Collection(
            answers,
            a => Assert.Contains("Wrong phone number", a),
            a => Assert.Contains("template is not defined", a),
            a => Assert.Contains("namespace wrong does not match", a),
            a => Assert.Contains("language.policy", a),
            a => Assert.Contains("Authentication templates require the code in the body and in the copy-code button", a),
            a => Assert.Contains("(131009)", a),
            a => Assert.Contains("same code as the body", a),
            a => Assert.Contains("messageSendTtlSeconds", a),
            a => Assert.Contains("\"sent\":true", a));
    }
}
