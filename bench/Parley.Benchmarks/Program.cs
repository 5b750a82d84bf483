using Parley.Benchmarks;

// dotnet run -c Release --project bench/Parley.Benchmarks -- encode [--data PATH] [--threads N] [--count N] [--repetitions N]
// dotnet run -c Release --project bench/Parley.Benchmarks -- kb-zh
// dotnet run -c Release --project bench/Parley.Benchmarks -- fewshot [--intents 77] [--shots 8] [--methods head,contrastive]
// dotnet run -c Release --project bench/Parley.Benchmarks -- clinc [--data PATH] [--threads N] [--repetitions N] [--features embeddings|char-ngrams|combined]
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("usage: Parley.Benchmarks encode [--data data_full.json] [--threads N] [--count 2000] [--repetitions 3]");
    Console.WriteLine("       Parley.Benchmarks clinc [--data data_full.json] [--threads N] [--repetitions 3] [--features embeddings]");
    Console.WriteLine("       Parley.Benchmarks kb [--threads N] [--repetitions 3]");
    Console.WriteLine("       Parley.Benchmarks kb-zh");
    Console.WriteLine("       " + IngestBenchmark.Usage);
    Console.WriteLine("       " + KnowledgeQualityBenchmark.Usage);
    Console.WriteLine("       " + Parley.Benchmarks.Server.ServerBenchmark.Usage);
    Console.WriteLine("       " + BlobStorageBenchmark.Usage);
    Console.WriteLine("       " + Parley.Benchmarks.FewShot.FewShotBenchmark.Usage);
    Console.WriteLine("       " + Parley.Benchmarks.FewShot.FineTuneSpeedBenchmark.Usage);
    return args.Length == 0 ? 1 : 0;
}

return args[0] switch
{
    "encode" => EncodeBenchmark.Run(BenchmarkArguments.Parse(args[1..])),
    "clinc" => await ClincBenchmark.RunAsync(BenchmarkArguments.Parse(args[1..])),
    "kb" => await KnowledgeBenchmark.RunAsync(BenchmarkArguments.Parse(args[1..])),
    "kb-zh" => await ChineseKnowledgeBenchmark.RunAsync(),
    "fewshot" => await Parley.Benchmarks.FewShot.FewShotBenchmark.RunAsync(args[1..]),
    "finetune-speed" => await Parley.Benchmarks.FewShot.FineTuneSpeedBenchmark.RunAsync(args[1..]),
    "ingest" => IngestBenchmark.Run(args[1..]),
    "kb-quality" => await KnowledgeQualityBenchmark.RunAsync(args[1..]),
    "server" => await Parley.Benchmarks.Server.ServerBenchmark.RunAsync(args[1..]),
    "blobs" => await BlobStorageBenchmark.RunAsync(args[1..]),
    _ => Fail($"unknown benchmark '{args[0]}'; try 'encode' or 'clinc'"),
};

static int Fail(string message)
{
    Console.Error.WriteLine(message);
    return 2;
}
