using OtpGate.Cli.Tests.Support;

namespace OtpGate.Cli.Tests.Doctor;

/// <summary><c>otpgate doctor</c> runs the server's own start-up check: a setting the server refuses, the doctor refuses in the same words.</summary>
public sealed class SameCheckTests
{
    [Theory]
    [InlineData("Api__EventStreams__PerSession", "0", "Api:EventStreams:PerSession is 0")]
    [InlineData("OneMsg__WebhookSecret", "too-short", "OneMsg:WebhookSecret must be at least 22")]
    [InlineData("Storage__Provider", "mysql", "Storage:Provider is \"mysql\"")]
    [InlineData("Verification__CodeLength", "3", "Verification:CodeLength is 3")]
    public async Task A_setting_the_server_refuses_at_start_doctor_refuses_in_the_same_sentence(string variable, string value, string start)
    {
        using var data = new TempDirectory();
        await using var sandbox = await TestSandbox.StartAsync();
        var environment = TestSandbox.Environment(sandbox);
        environment["OneMsg__WebhookBaseUrl"] = "https://otp.example.com";
        environment["Storage__DataDirectory"] = data.Path;
        environment[variable] = value;

        var served = await Otpgate.RunAsync(environment, "serve", "--urls", "http://127.0.0.1:0");
        var doctor = await Otpgate.RunAsync(environment, "doctor");

        Assert.Equal(ExitCodes.Usage, served.ExitCode);
        var sentence = served.Error.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("- " + start, StringComparison.Ordinal))[2..];
        var options = doctor.Out.Split('\n').Single(l => l.Contains("Options valid", StringComparison.Ordinal));
        Assert.StartsWith("  FAIL", options);
        Assert.Contains(sentence, options, StringComparison.Ordinal);
    }
}
