using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OtpGate.OneMsg.Tests;

public sealed class OneMsgOptionsTests
{
    private static OneMsgOptions Valid() => new()
    {
        BaseUrl = new Uri("http://127.0.0.1:5080/sandbox"),
        ChannelId = "359900",
        Token = "tok-abc-123",
    };

    private static List<string> Problems(OneMsgOptions options) =>
        new OneMsgOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];

    [Fact]
    public void Complete_options_are_valid()
    {
        Assert.Empty(Problems(Valid()));
    }

    [Fact]
    public void Empty_channel_id_says_what_to_set()
    {
        var options = Valid();
        options.ChannelId = " ";

        Assert.Equal(["OneMsg:ChannelId is empty. Set it to the channel id from the 1MSG dashboard (e.g. 359900)."], Problems(options));
    }

    [Theory]
    [InlineData("BaseUrl", "OneMsg:BaseUrl must be an absolute http or https URL")]
    [InlineData("BaseUrlFtp", "OneMsg:BaseUrl must be an absolute http or https URL")]
    [InlineData("BaseUrlQuery", "OneMsg:BaseUrl must not have a query")]
    [InlineData("ChannelSlash", "OneMsg:ChannelId \"35/99\" contains")]
    [InlineData("Token", "OneMsg:Token is empty.")]
    [InlineData("TokenBearerOnly", "OneMsg:Token is empty.")]
    [InlineData("TokenSpace", "OneMsg:Token contains white space")]
    [InlineData("AttemptTimeout", "OneMsg:AttemptTimeout must be between 10 milliseconds and 5 minutes")]
    [InlineData("MaxRetries", "OneMsg:MaxRetries must be between 0 and 10; it is 11.")]
    [InlineData("RetryBaseDelay", "OneMsg:RetryBaseDelay must be between 0 and 10 minutes")]
    [InlineData("MaxRetryDelay", "OneMsg:MaxRetryDelay (00:00:00.1000000) is shorter than OneMsg:RetryBaseDelay")]
    public void Each_problem_is_a_sentence_naming_its_key(string broken, string expected)
    {
        var options = Valid();
        switch (broken)
        {
            case "BaseUrl": options.BaseUrl = new Uri("/sandbox", UriKind.Relative); break;
            case "BaseUrlFtp": options.BaseUrl = new Uri("ftp://api.1msg.io"); break;
            case "BaseUrlQuery": options.BaseUrl = new Uri("https://api.1msg.io/?token=x"); break;
            case "ChannelSlash": options.ChannelId = "35/99"; break;
            case "Token": options.Token = ""; break;
            case "TokenBearerOnly": options.Token = "Bearer "; break;
            case "TokenSpace": options.Token = "tok en-secret"; break;
            case "AttemptTimeout": options.AttemptTimeout = TimeSpan.Zero; break;
            case "MaxRetries": options.MaxRetries = 11; break;
            case "RetryBaseDelay": options.RetryBaseDelay = TimeSpan.FromMinutes(11); break;
            case "MaxRetryDelay": options.RetryBaseDelay = TimeSpan.FromSeconds(1); options.MaxRetryDelay = TimeSpan.FromMilliseconds(100); break;
        }

        var problem = Assert.Single(Problems(options));
        Assert.StartsWith(expected, problem);
        Assert.EndsWith(".", problem);
        Assert.DoesNotContain("en-secret", problem);
    }

    [Fact]
    public async Task Host_refuses_to_start_with_invalid_options()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddOneMsgClient(o => o.Token = "tok-abc-123");
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("OneMsg:ChannelId is empty.", error.Message);
    }

    [Fact]
    public void Options_bind_from_the_OneMsg_configuration_section()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OneMsg:BaseUrl"] = "http://127.0.0.1:5080/sandbox",
            ["OneMsg:ChannelId"] = "VID182868781",
            ["OneMsg:Token"] = "tok-abc-123",
            ["OneMsg:AttemptTimeout"] = "00:00:04",
            ["OneMsg:MaxRetries"] = "1",
            ["OneMsg:Template:Name"] = "otp_code",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddOneMsgClient(configuration.GetSection(OneMsgOptions.SectionName));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<OneMsgOptions>>().Value;

        Assert.Equal((new Uri("http://127.0.0.1:5080/sandbox"), "VID182868781", "tok-abc-123", TimeSpan.FromSeconds(4), 1),
            (options.BaseUrl, options.ChannelId, options.Token, options.AttemptTimeout, options.MaxRetries));
        Assert.NotNull(provider.GetRequiredService<OneMsgClient>());
    }

    [Fact]
    public void A_pasted_bearer_prefix_is_not_sent_twice()
    {
        Assert.Equal("eyJhbGci", OneMsgClient.NormaliseToken(" Bearer eyJhbGci "));
        Assert.Equal("eyJhbGci", OneMsgClient.NormaliseToken("eyJhbGci"));
    }

    [Fact]
    public void A_client_built_by_hand_refuses_invalid_options_with_the_same_sentences()
    {
        using var http = new HttpClient();
        var options = Valid();
        options.ChannelId = "";

        var error = Assert.Throws<OptionsValidationException>(() =>
            new OneMsgClient(http, Options.Create(options), Microsoft.Extensions.Logging.Abstractions.NullLogger<OneMsgClient>.Instance));

        Assert.Contains("OneMsg:ChannelId is empty.", error.Message);
    }
}
