using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Parley.Cli.Tests;

/// <summary>
/// The whole flow in-process, with no test doubles: <c>parley serve</c> (no fine-tuning flags) on a loopback port, then
/// <c>parley finetune create --wait</c>, <c>list</c>, <c>status</c> and <c>eval</c> against it through the OpenAI SDK, and
/// <c>parley ask --model ft:…</c> (the bot runtime of <c>parley chat</c>) answering through the fine-tuned model.
/// Trains a real (small) response-selection model, so it takes a while.
/// </summary>
public sealed class FineTuneServerEndToEndTests : IDisposable
{
    private const string Hours = "We're open Monday to Saturday, 9am to 6pm, and closed on Sundays.";
    private const string Returns = "You can return any item within 30 days for a full refund; start a return from your orders page.";
    private const string Shipping = "Standard delivery takes 3 to 5 working days; express delivery arrives the next working day.";
    private const string Tracking = "Use the tracking link in your dispatch email to see where your parcel is.";
    private const string Payment = "We accept Visa, Mastercard, American Express, PayPal and Apple Pay.";

    internal static readonly (string Reply, string[] Questions)[] Chat =
    [
        (Hours, ["What are your opening hours?", "When do you open?", "Are you open on Sunday?", "What time does the store close?", "Opening times please", "Is the shop open on weekends?", "until when are you open today"]),
        (Returns, ["How do I return an item?", "Can I get a refund?", "I want to send my order back", "What is your return policy?", "The shoes don't fit, can I return them?", "how do refunds work", "I'd like my money back for this jacket"]),
        (Shipping, ["How long does delivery take?", "When will my order arrive?", "How fast is shipping?", "Do you offer express delivery?", "what are the delivery times", "how many days for shipping", "Can I get it delivered tomorrow?"]),
        (Tracking, ["Where is my parcel?", "How can I track my order?", "I need the tracking number for my package", "Has my order been dispatched?", "track my shipment", "my package hasn't arrived, where is it?", "can you tell me the status of my delivery"]),
        (Payment, ["Which payment methods do you accept?", "Can I pay with PayPal?", "Do you take credit cards?", "Is Apple Pay supported?", "how can I pay for my order", "can I pay by Amex", "what cards do you accept"]),
    ];

    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    internal static string Line(string question, string reply) => new JsonObject
    {
        ["messages"] = new JsonArray(
            new JsonObject { ["role"] = "system", ["content"] = "You are the customer service assistant of an online shop." },
            new JsonObject { ["role"] = "user", ["content"] = question },
            new JsonObject { ["role"] = "assistant", ["content"] = reply }),
    }.ToJsonString();

    [Fact]
    public async Task CreateWaitThenEval_AgainstParleyServe_TrainsAndAnswersWithTheFineTunedModel()
    {
        var train = Path.Combine(_cli.Directory, "train.jsonl");
        await File.WriteAllTextAsync(train, string.Join('\n', Chat.SelectMany(c => c.Questions.Select(q => Line(q, c.Reply)))) + "\n");
        var test = Path.Combine(_cli.Directory, "test.jsonl");
        await File.WriteAllTextAsync(test, string.Join('\n', Line("what time do you shut on saturdays?", Hours), Line("which cards can I pay with?", Payment)) + "\n");
        var url = $"http://127.0.0.1:{FreePort()}";
        using var stop = new CancellationTokenSource();
        var serve = _cli.RunAsync(["serve", "--urls", url], cancellationToken: stop.Token);
        try
        {
            await WaitUntilServingAsync(url + "/v1/models", serve);
            var baseUrl = url + "/v1";

            var created = await _cli.RunAsync(["finetune", "create", "--file", train, "--model", "all-MiniLM-L6-v2", "--suffix", "shop", "--seed", "7", "--wait", "--poll-interval", "0.2", "--base-url", baseUrl]);

            Assert.True(created.ExitCode == 0, created.Error);
            var lines = created.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var jobId = lines[0];
            Assert.StartsWith("ftjob-", jobId, StringComparison.Ordinal);
            Assert.Equal($"ft:all-MiniLM-L6-v2:shop:{jobId}", lines[1]);
            Assert.Contains($"{jobId} succeeded", created.Error);

            var list = (await _cli.RunAsync(["finetune", "list", "--json", "--base-url", baseUrl])).Json();
            Assert.Equal(jobId, list.GetProperty("data")[0].GetProperty("id").GetString());
            var status = (await _cli.RunAsync(["finetune", "status", jobId, "--json", "--base-url", baseUrl])).Json();
            Assert.Equal("succeeded", status.GetProperty("status").GetString());
            Assert.True(status.GetProperty("trained_tokens").GetInt64() > 0);

            var eval = await _cli.RunAsync(["finetune", "eval", "--base", "shop", "--tuned", lines[1], "--data", test, "--json", "--base-url", baseUrl]);

            Assert.True(eval.ExitCode == 0, eval.Error);
            var result = eval.Json();
            Assert.Equal(2, result.GetProperty("examples").GetInt32());
            Assert.Equal(1.0, result.GetProperty("tuned").GetProperty("accuracy").GetDouble());
            Assert.Equal("shop", result.GetProperty("base").GetProperty("model").GetString());

            // What 'parley chat --model' does: the bot's LLM route goes to the fine-tuned model at the endpoint.
            var ask = await _cli.RunAsync(["ask", "--json", "--base-url", baseUrl, "--model", lines[1], "tell me about the weather on mars, and when are you open?"]);

            Assert.True(ask.ExitCode == 0, ask.Error);
            var reply = ask.Json();
            Assert.Equal("llm", reply.GetProperty("route").GetString());
            Assert.Contains(reply.GetProperty("reply").GetString(), Chat.Select(c => c.Reply));
        }
        finally
        {
            await stop.CancelAsync();
            await serve;
        }
    }

    private static async Task WaitUntilServingAsync(string modelsUrl, Task<CliResult> serve)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var deadline = DateTime.UtcNow.AddSeconds(180);
        while (true)
        {
            if (serve.IsCompleted)
            {
                var ended = await serve;
                Assert.Fail($"parley serve ended with {ended.ExitCode}: {ended.Error}");
            }

            try
            {
                using var response = await http.GetAsync(modelsUrl);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            Assert.True(DateTime.UtcNow < deadline, "parley serve did not start serving within 180 s");
            await Task.Delay(200);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
