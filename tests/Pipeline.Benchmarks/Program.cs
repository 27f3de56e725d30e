using Pipeline.Benchmarks.EndToEnd;

// Benchmarks that print figures; each mode lives in its own file.
// Usage: dotnet run -c Release --project tests/Pipeline.Benchmarks -- <mode> [options]
return args.FirstOrDefault() switch
{
    "train-ner" => TrainNer.Run(args[1..]),
    "train-clusters" => TrainNer.RunClusters(args[1..]),
    "extract" => ExtractBenchmark.Run(args[1..]),
    "clean" => CleanBenchmark.Run(args[1..]),
    "e2e" => await EndToEndBenchmark.RunAsync(args[1..]),
    "limits" => await LimitsBenchmark.RunAsync(args[1..]),
    "relate" => await RelateBenchmark.RunAsync(args[1..]),
    "relate-scale" => await RelateBenchmark.RunScaleAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Pipeline.Benchmarks <mode>   (modes are listed in docs/benchmarks.md)");
    return 2;
}
