using System.Net;
using OtpGate.Sandbox.Tests.Support;

namespace OtpGate.Sandbox.Tests.Fidelity;

/// <summary><c>sendTemplate</c> against 1MSG's shapes: the answer, a missing namespace, and every recipient form.</summary>
public sealed class SendTemplateFidelityTests(SharedSandbox shared) : IClassFixture<SharedSandbox>
{
    private static int s_next = 300;

    private SandboxApi Api => shared.Api;

    private static string NextPhone() => "1415555" + Interlocked.Increment(ref s_next).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task An_accepted_send_answers_send_message_status()
    {
        var answer = await Api.SendAsync(Requests.Otp(NextPhone()));
        ContractShape.AssertMatches(OneMsgShapes.SendMessageStatus, answer.Json);
    }

    [Fact]
    public async Task A_missing_namespace_is_422_by_default()
    {
        var answer = await Api.SendAsync(Requests.Otp(NextPhone()).Without("namespace"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        Assert.Equal("namespace is not defined", answer.Message);
    }

    [Fact]
    public async Task A_missing_namespace_under_the_400_option_answers_what_1msg_n8n_node_tests_expect()
    {
        await using var sandbox = await TestSandbox.StartAsync(o => o.MissingNamespaceStatus = 400);
        var answer = await sandbox.Api.SendAsync(Requests.Otp().Without("namespace"));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(OneMsgShapes.TemplateIsNotDefined, answer.Text);
    }

    [Fact]
    public async Task A_chat_id_with_c_us_is_sent_to_its_digits()
    {
        var phone = NextPhone();
        var answer = await Api.SendAsync(Requests.Otp().Without("phone").With("chatId", phone + "@c.us"));

        ContractShape.AssertMatches(OneMsgShapes.SendMessageStatus, answer.Json);
        Assert.Equal($"Sent to {phone}@c.us", answer.Message);
        Assert.Single(shared.Sandbox.Messages.GetMessages(phone));
    }

    [Theory]
    [InlineData("chatId", "US.13491208655302741918@lid")]
    [InlineData("bsuid", "CO.1726691741709890")]
    public async Task A_business_scoped_user_id_gets_meta_131062_for_an_authentication_template(string field, string value)
    {
        var answer = await Api.SendAsync(Requests.Otp().Without("phone").With(field, value));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.StartsWith("(131062) Business-scoped User ID (BSUID) recipients are not supported for this message", answer.Message);
        Assert.DoesNotContain("Wrong phone number", answer.Text);
    }

    [Fact]
    public async Task A_business_scoped_user_id_for_another_template_is_refused_as_unknown_to_the_sandbox()
    {
        var body = Requests.Otp().Without("phone").With("bsuid", "US.1349120865").With("template", "order_update");
        body["params"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
        {
            ["type"] = "body",
            ["parameters"] = new System.Text.Json.Nodes.JsonArray(
                new System.Text.Json.Nodes.JsonObject { ["type"] = "text", ["text"] = "Ann" },
                new System.Text.Json.Nodes.JsonObject { ["type"] = "text", ["text"] = "42" }),
        });

        var answer = await Api.SendAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.StartsWith("The sandbox has no users known only by a BSUID", answer.Message);
    }

    [Fact]
    public async Task A_phone_given_with_a_bsuid_wins_as_on_meta()
    {
        var phone = NextPhone();
        var answer = await Api.SendAsync(Requests.Otp(phone).With("bsuid", "US.13491208655302741918"));
        Assert.Equal($"Sent to {phone}@c.us", answer.Message);
    }

    [Fact]
    public async Task Phone_and_chat_id_together_are_refused_without_calling_either_a_wrong_phone()
    {
        var answer = await Api.SendAsync(Requests.Otp(NextPhone()).With("chatId", NextPhone() + "@c.us"));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("Wrong request: give exactly one of phone and chatId", answer.Message);
    }

    [Theory]
    [InlineData("chatId", "not-a-bsuid@lid", "Wrong chatId: ")]
    [InlineData("bsuid", "12125550100", "Wrong bsuid: ")]
    [InlineData("chatId", "12125550100@g.us", "Wrong chatId: ")]
    public async Task A_malformed_chat_id_or_bsuid_names_its_field(string field, string value, string start)
    {
        var answer = await Api.SendAsync(Requests.Otp().Without("phone").With(field, value));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.StartsWith(start, answer.Message);
    }
}
