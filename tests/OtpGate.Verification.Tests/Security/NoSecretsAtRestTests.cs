using System.Security.Cryptography;
using System.Text;
using Dapper;
using OtpGate.Sandbox;
using OtpGate.Verification.Tests.Support;
using OtpGate.Verification.Verifications;

namespace OtpGate.Verification.Tests.Security;

[Trait("Storage", "sqlite-only")] // reads the SQLite files byte by byte
public sealed class NoSecretsAtRestTests
{
    [Fact]
    public async Task A_thousand_verifications_leave_no_code_secret_or_token_in_the_database_or_the_logs_nor_a_number_in_the_logs()
    {
        var token = "tok-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await using var sandbox = await SandboxServer.StartAsync(o =>
        {
            o.Token = token;
            o.RateLimitPerSecond = 1000;
            o.SentAfter = TimeSpan.FromMilliseconds(10);
            o.DeliveredAfter = TimeSpan.FromMilliseconds(20);
            o.ReadAfter = TimeSpan.FromMilliseconds(30);
        }, cancellationToken: TestContext.Current.CancellationToken);
        // Ten-digit codes: a six-digit code would turn up by chance inside phone numbers and ids.
        await using var engine = await Engine.StartAsync(o =>
        {
            o.CodeLength = 10;
            o.Dispatch.ChannelRatePerSecond = 1000;
            o.Dispatch.StatusPollAfter = TimeSpan.FromMilliseconds(1);
        }, sandbox, TimeProvider.System, settings: new() { ["Fraud:Enabled"] = "false" }); // a thousand numbers of a few prefixes at once: a sweep
        var none = CancellationToken.None;

        var ids = new List<(string Id, string Phone)>();
        for (var i = 0; i < 1000; i++)
        {
            var phone = $"+1646300{i:D4}";
            ids.Add(((await engine.Verifications.StartAsync(Engine.Owner, new StartRequest(phone), none)).Verification!.Id, phone));
        }

        await engine.Dispatcher.DispatchDueAsync(none);
        await Task.Delay(200, TestContext.Current.CancellationToken);
        await engine.Poller.PollDueAsync(none);
        var codes = new List<string>();
        for (var i = 0; i < ids.Count; i++)
        {
            var code = sandbox.Messages.GetLatestMessage(ids[i].Phone[1..])!.Code!;
            codes.Add(code);
            if (i % 3 == 0)
            {
                await engine.Verifications.CheckAsync(Engine.Owner, ids[i].Id, await engine.WrongCodeAsync(ids[i].Id), none);
            }

            if (i % 2 == 0)
            {
                Assert.True((await engine.Verifications.CheckAsync(Engine.Owner, ids[i].Id, code, none)).Succeeded);
            }
        }

        var haystacks = new List<(string Where, string Text)> { ("logs", string.Join('\n', engine.Logs.Lines)) };
        haystacks.Add(("database dump", await DumpAsync(engine)));
        foreach (var file in Directory.GetFiles(engine.DataDirectory, "otpgate.db*"))
        {
            haystacks.Add((Path.GetFileName(file), Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken))));
        }

        Assert.Contains(engine.Logs.Lines, l => l.Contains("accepted by the whatsapp channel", StringComparison.Ordinal)); // the logs were captured
        Assert.True(engine.Logs.Lines.Count > 2000);
        Assert.Contains("16463000999", haystacks[1].Text, StringComparison.Ordinal); // the dump reads digit strings as they are stored
        foreach (var (where, text) in haystacks)
        {
            Assert.DoesNotContain(token, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Engine.Secret, text, StringComparison.Ordinal);
            var leaked = codes.Where(c => text.Contains(c, StringComparison.Ordinal)).ToList();
            Assert.True(leaked.Count == 0, $"{leaked.Count} codes found in the {where}.");
        }

        // Message ids encode the number (base64), so the logs carry neither, only their masked and fingerprinted forms.
        var messageIds = ids.Select(v => sandbox.Messages.GetLatestMessage(v.Phone[1..])!.Id).ToList();
        Assert.DoesNotContain(messageIds, m => haystacks[0].Text.Contains(m, StringComparison.Ordinal));
        Assert.DoesNotContain(ids, v => haystacks[0].Text.Contains(v.Phone[1..], StringComparison.Ordinal));
        Assert.Contains(OneMsg.Sending.MessageIdMasking.Fingerprint(messageIds[0]), haystacks[0].Text, StringComparison.Ordinal);
    }

    /// <summary>Every column of every table as text, the way a curious operator would read it.</summary>
    private static async Task<string> DumpAsync(Engine engine)
    {
        await using var connection = await engine.Database.OpenAsync(CancellationToken.None);
        var tables = await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table'");
        var dump = new StringBuilder();
        foreach (var table in tables)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    dump.Append(reader.GetValue(i) switch
                    {
                        byte[] bytes => Encoding.Latin1.GetString(bytes) + " " + Convert.ToHexString(bytes),
                        var value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
                    }).Append('|');
                }

                dump.Append('\n');
            }
        }

        return dump.ToString();
    }
}
