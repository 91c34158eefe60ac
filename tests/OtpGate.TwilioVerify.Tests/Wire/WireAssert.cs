using System.Net;
using System.Text.Json.Nodes;
using OtpGate.TwilioVerify.Tests.Support;

namespace OtpGate.TwilioVerify.Tests.Wire;

/// <summary>Assertions on <c>/v2</c> answers against <see cref="VerifyV2Schema"/>, listing every problem at once.</summary>
public static class WireAssert
{
    public static JsonObject Resource(Answer answer, HttpStatusCode status, Field[] schema, Uri root)
    {
        Assert.True(answer.Status == status, $"Expected {(int)status}, got {(int)answer.Status}: {answer.Body?.ToJsonString()}");
        Assert.Equal("application/json", answer.MediaType);
        Fields(answer.Json, schema, root);
        return answer.Json;
    }

    public static void Fields(JsonObject body, Field[] schema, Uri root)
    {
        var problems = VerifyV2Schema.Problems(body, schema, root);
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\nin " + body.ToJsonString());
    }

    /// <summary>Twilio's error body with <paramref name="code"/>, its <c>status</c> the HTTP status, <c>more_info</c> Twilio's page for the code.</summary>
    public static JsonObject Error(Answer answer, HttpStatusCode status, int code, Uri root)
    {
        Assert.True(answer.Status == status, $"Expected {(int)status}, got {(int)answer.Status}: {answer.Body?.ToJsonString()}");
        Assert.Equal("application/json", answer.MediaType);
        Fields(answer.Json, VerifyV2Schema.Error, root);
        Assert.Equal(code, answer.Json["code"]!.GetValue<int>());
        Assert.Equal((int)status, answer.Json["status"]!.GetValue<int>());
        Assert.Equal($"https://www.twilio.com/docs/errors/{code}", answer.Json["more_info"]!.GetValue<string>());
        return answer.Json;
    }

    public static string Text(JsonObject body, string name) => body[name]!.GetValue<string>();
}
