using OtpGate.LoadTool;

// bench/load.sh calls this; see bench/README.md. Every loop is bounded in count and in time.
return args.FirstOrDefault() switch
{
    "prepare" => await Prepare.RunAsync(Args.Parse(args[1..])),
    "flow" => await Flow.RunAsync(Args.Parse(args[1..])),
    "coldstart" => await ColdStart.RunAsync(Args.Parse(args[1..])),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: OtpGate.LoadTool prepare   --api URL --key KEY [--sandbox URL] --from N --count N [--concurrency 32] [--out FILE] [--timeout 300]
               OtpGate.LoadTool flow      --api URL --key KEY --sandbox URL --from N --seconds 60 [--concurrency 512]
               OtpGate.LoadTool coldstart --url URL [--post JSON] [--key KEY] [--timeout 60] -- COMMAND ARGS...
        """);
    return 1;
}
