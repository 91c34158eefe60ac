namespace OtpGate.Cli;

public static class Program
{
    public static Task<int> Main(string[] args) => CliApp.RunAsync(args, CliConsole.FromProcess(), CancellationToken.None);
}
