using System.Text;
using static Parley.Benchmarks.BenchmarkEnvironment;

namespace Parley.Benchmarks.Server;

/// <summary>
/// The resident memory of an idle <c>parley serve</c> with the shop bot ready and the sentence encoder loaded (one
/// uncached <c>/v1/embeddings</c> call and one bot answer first).
/// </summary>
internal static class IdleBenchmark
{
    public static async Task<int> RunAsync(ServerBenchmarkArguments arguments)
    {
        Console.WriteLine($"idle RSS of parley serve (shop bot, encoder loaded); load average {LoadAverage()}");
        await using var parley = await ParleyProcess.StartAsync(arguments.ParleyDll, upstream: null, arguments.LogRequests);
        var ready = parley.RssMiB();
        using var client = BenchHttp.Create(new Uri(parley.BaseUrl, "/v1/"), ParleyProcess.ApiKey);
        var embed = Encoding.UTF8.GetBytes($$"""{"model":"all-MiniLM-L6-v2","input":"an uncached sentence {{Guid.NewGuid():N}} loads the encoder"}""");
        var chat = Encoding.UTF8.GetBytes("""{"model":"shop","messages":[{"role":"user","content":"How long does shipping take?"}]}""");
        if (!await BenchHttp.SendAsync(client, BenchHttp.Post("embeddings", embed)) || !await BenchHttp.SendAsync(client, BenchHttp.Post("chat/completions", chat)))
        {
            Console.Error.WriteLine("the warm-up requests failed");
            return 1;
        }

        var samples = new List<double>();
        await Task.Delay(TimeSpan.FromSeconds(5));
        for (var i = 0; i < 10; i++)
        {
            samples.Add(parley.RssMiB());
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        // The target is in MB (10^6 bytes); /proc reports KiB.
        var idleMb = Median(samples) * 1.048576;
        Console.WriteLine("| RSS at /readyz MiB | RSS idle, encoder loaded (median of 10 over 10 s) MiB | = MB | max MiB | target |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: |");
        Console.WriteLine($"| {ready:0} | {Median(samples):0} | {idleMb:0} | {samples.Max():0} | 400 MB |");
        return idleMb <= 400 ? 0 : 1;
    }
}
