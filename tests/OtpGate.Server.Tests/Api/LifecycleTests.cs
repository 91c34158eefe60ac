using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OtpGate.Server.Tests.Support;

namespace OtpGate.Server.Tests.Api;

/// <summary>Read, check, resend and cancel, with every answer and problem code of the API (docs/architecture.md).</summary>
public sealed class LifecycleTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(HttpStatusCode Status, JsonObject Body)> PostAsync(HttpClient api, string path, object? body = null)
    {
        var response = body is null ? await api.PostAsync(path, null, Ct) : await api.PostAsJsonAsync(path, body, Ct);
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!);
    }

    [Fact]
    public async Task Get_shows_status_expiry_attempts_resend_and_the_delivery_timeline()
    {
        var id = (await server.StartAsync(server.NextPhone()))["id"]!.GetValue<string>();

        var verification = await server.WaitForAsync(id, v => ServerFactory.Delivery(v) == "read");

        Assert.Equal("pending", ServerFactory.Status(verification));
        Assert.NotNull(verification["expiresAt"]);
        Assert.Equal(5, verification["attemptsLeft"]!.GetValue<int>());
        Assert.NotNull(verification["resendAvailableAt"]);
        var timeline = verification["timeline"]!.AsArray().Select(e => (e!["kind"]!.GetValue<string>(), e["status"]?.GetValue<string>())).ToList();
        Assert.Contains(("delivery", "sent"), timeline);
        Assert.Contains(("delivery", "delivered"), timeline);
        Assert.Contains(("delivery", "read"), timeline);
        Assert.All(verification["timeline"]!.AsArray(), e => Assert.NotNull(e!["at"]));
        Assert.StartsWith("wamid.", verification["sends"]![0]!["messageId"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_id_is_404_not_found_on_every_endpoint()
    {
        using var api = server.Api();
        var answers = new[]
        {
            await api.GetAsync("/v1/verifications/vf_unknown", Ct),
            await api.PostAsJsonAsync("/v1/verifications/vf_unknown/check", new { code = "123456" }, Ct),
            await api.PostAsync("/v1/verifications/vf_unknown/resend", null, Ct),
            await api.PostAsync("/v1/verifications/vf_unknown/cancel", null, Ct),
            await api.GetAsync("/v1/verifications/vf_unknown/events", Ct),
        };

        foreach (var answer in answers)
        {
            Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
            Assert.Equal("not_found", (await ServerFactory.ProblemAsync(answer))["code"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_wrong_code_is_422_with_attempts_left_and_the_right_one_approves()
    {
        var phone = server.NextPhone();
        var id = (await server.StartAsync(phone))["id"]!.GetValue<string>();
        var code = await server.ReadCodeAsync(phone);
        using var api = server.Api();

        var wrong = await PostAsync(api, $"/v1/verifications/{id}/check", new { code = code == "000000" ? "111111" : "000000" });
        var right = await PostAsync(api, $"/v1/verifications/{id}/check", new { code });
        var again = await PostAsync(api, $"/v1/verifications/{id}/check", new { code });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.Status);
        Assert.Equal("wrong_code", wrong.Body["code"]!.GetValue<string>());
        Assert.Equal(4, wrong.Body["attemptsLeft"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, right.Status);
        Assert.Equal("approved", right.Body["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Equal("already_approved", again.Body["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Five_wrong_codes_end_it_as_410_max_attempts_reached_even_for_the_right_code()
    {
        var phone = server.NextPhone();
        var id = (await server.StartAsync(phone))["id"]!.GetValue<string>();
        var code = await server.ReadCodeAsync(phone);
        var wrongCode = code == "000000" ? "111111" : "000000";
        using var api = server.Api();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PostAsync(api, $"/v1/verifications/{id}/check", new { code = wrongCode })).Status);
        }

        var right = await PostAsync(api, $"/v1/verifications/{id}/check", new { code });

        Assert.Equal(HttpStatusCode.Gone, right.Status);
        Assert.Equal("max_attempts_reached", right.Body["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_empty_code_is_400_invalid_request()
    {
        var id = (await server.StartAsync(server.NextPhone()))["id"]!.GetValue<string>();
        using var api = server.Api();

        var answer = await PostAsync(api, $"/v1/verifications/{id}/check", new { code = "" });

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("invalid_request", answer.Body["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_resend_within_the_cooldown_is_429_cooldown_with_retry_after()
    {
        var id = (await server.StartAsync(server.NextPhone()))["id"]!.GetValue<string>();
        using var api = server.Api();

        var response = await api.PostAsync($"/v1/verifications/{id}/resend", null, Ct);
        var problem = await ServerFactory.ProblemAsync(response);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("cooldown", problem["code"]!.GetValue<string>());
        Assert.InRange(response.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 30);
        Assert.NotNull(problem["verification"]!["resendAvailableAt"]);
    }

    [Fact]
    public async Task Cancel_is_200_then_410_canceled_for_every_operation()
    {
        var id = (await server.StartAsync(server.NextPhone()))["id"]!.GetValue<string>();
        using var api = server.Api();

        var cancel = await PostAsync(api, $"/v1/verifications/{id}/cancel");
        var check = await PostAsync(api, $"/v1/verifications/{id}/check", new { code = "123456" });
        var resend = await PostAsync(api, $"/v1/verifications/{id}/resend");
        var cancelAgain = await PostAsync(api, $"/v1/verifications/{id}/cancel");

        Assert.Equal(HttpStatusCode.OK, cancel.Status);
        Assert.Equal("canceled", cancel.Body["status"]!.GetValue<string>());
        foreach (var answer in new[] { check, resend, cancelAgain })
        {
            Assert.Equal(HttpStatusCode.Gone, answer.Status);
            Assert.Equal("canceled", answer.Body["code"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Cancelling_an_approved_verification_is_409_already_approved()
    {
        var phone = server.NextPhone();
        var id = (await server.StartAsync(phone))["id"]!.GetValue<string>();
        using var api = server.Api();
        (await api.PostAsJsonAsync($"/v1/verifications/{id}/check", new { code = await server.ReadCodeAsync(phone) }, Ct)).EnsureSuccessStatusCode();

        var cancel = await PostAsync(api, $"/v1/verifications/{id}/cancel");

        Assert.Equal(HttpStatusCode.Conflict, cancel.Status);
        Assert.Equal("already_approved", cancel.Body["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_undeliverable_number_fails_and_answers_410_failed_where_SMS_fallback_is_off()
    {
        // With the fallback on (the default), this number gets its code by SMS instead: see SmsFallbackApiTests.
        await using var noFallback = new CustomServer(new() { ["Verification:Sms:Fallback"] = "false" });
        await noFallback.InitializeAsync();
        var id = (await noFallback.StartAsync("+1 212 555 0101"))["id"]!.GetValue<string>();
        var failed = await noFallback.WaitForAsync(id, v => ServerFactory.Status(v) == "failed");
        using var api = noFallback.Api();

        var check = await PostAsync(api, $"/v1/verifications/{id}/check", new { code = "123456" });

        Assert.Equal("undeliverable", failed["failureReason"]!.GetValue<string>());
        Assert.Equal("failed", ServerFactory.Delivery(failed));
        Assert.Contains(failed["timeline"]!.AsArray(), e => e!["status"]?.GetValue<string>() == "failed" && e["detail"] is not null);
        Assert.Equal(HttpStatusCode.Gone, check.Status);
        Assert.Equal("failed", check.Body["code"]!.GetValue<string>());
    }
}

/// <summary>Resend success and expiry, which need the cooldown off or the clock in hand.</summary>
public sealed class ClockedLifecycleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_resend_after_the_cooldown_is_202_and_sends_again()
    {
        await using var server = new CustomServer(new() { ["Verification:ResendCooldown"] = "00:00:00" });
        await server.InitializeAsync();
        var phone = server.NextPhone();
        var id = (await server.StartAsync(phone))["id"]!.GetValue<string>();
        await server.ReadCodeAsync(phone);
        using var api = server.Api();

        var response = await api.PostAsync($"/v1/verifications/{id}/resend", null, Ct);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!;

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(2, body["sends"]!.AsArray().Count);
        Assert.Equal(3, body["sendsLeft"]!.GetValue<int>());
        await server.ReadCodeAsync(phone, messages: 2);
    }

    [Fact]
    public async Task After_its_lifetime_a_code_is_410_expired()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        await using var server = new CustomServer(null, services => services.AddSingleton<TimeProvider>(clock));
        await server.InitializeAsync();
        var id = (await server.StartAsync(server.NextPhone()))["id"]!.GetValue<string>();
        using var api = server.Api();

        clock.Advance(TimeSpan.FromMinutes(10));
        var check = await api.PostAsJsonAsync($"/v1/verifications/{id}/check", new { code = "123456" }, Ct);
        var resend = await api.PostAsync($"/v1/verifications/{id}/resend", null, Ct);

        Assert.Equal(HttpStatusCode.Gone, check.StatusCode);
        Assert.Equal("expired", (await ServerFactory.ProblemAsync(check))["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Gone, resend.StatusCode);
        Assert.Equal("expired", (await ServerFactory.ProblemAsync(resend))["code"]!.GetValue<string>());
    }
}
