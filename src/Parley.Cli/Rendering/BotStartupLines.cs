using System.Globalization;
using Parley.Hosting;

namespace Parley.Cli.Rendering;

/// <summary>Writes a bot's slow start-up work and its knowledge warnings as short lines on stderr.</summary>
internal sealed class BotStartupLines(TextWriter error) : IBotStartupReporter
{
    public void TrainingIntentModel(string bot, int examples) =>
        error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Training the intent model of bot '{bot}' from {examples} examples (once; again when they change)..."));

    public void IntentModelTrained(string bot, TimeSpan elapsed) =>
        error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Intent model trained in {elapsed.TotalSeconds:0.0} s."));

    public void IndexingKnowledge(string bot, int passages) =>
        error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Indexing the knowledge of bot '{bot}' ({passages} new or changed passages)..."));

    public void KnowledgeWarning(string bot, string warning) => error.WriteLine($"warning: {warning}");

    public void ToolWarning(string bot, string warning) => error.WriteLine($"warning: {warning}");
}
