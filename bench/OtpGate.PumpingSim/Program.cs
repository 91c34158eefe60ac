using OtpGate.PumpingSim;

// bench/README.md, "Pumping simulation": real users and an attacker against the fraud guard, on a driven clock.
var small = args.Contains("--small");
var seedIndex = Array.IndexOf(args, "--seed");
var seed = seedIndex >= 0 && seedIndex + 1 < args.Length && int.TryParse(args[seedIndex + 1], out var s) ? s : 19;
if (args.Any(a => a is "-h" or "--help"))
{
    Console.WriteLine("usage: OtpGate.PumpingSim [--small] [--seed N]   (full scale: three scenarios of two hours each; --small: 25 minutes)");
    return 0;
}

var reports = await PumpingRuns.RunAsync(small ? Scenario.Small(seed) : Scenario.Full(seed));
foreach (var report in reports)
{
    Console.WriteLine(report.Describe());
}

Console.WriteLine(PumpingRuns.Verdict(reports));
return PumpingRuns.MeetsGoals(reports) ? 0 : 1;
