// Writes src/Parley.Core/Text/Data/pinyin.tsv: the toneless pinyin syllable of every CJK unified ideograph
// (U+4E00–U+9FFF), one line per syllable — "fei<TAB>费废非飞…" — from ICU's Han-Latin transliteration (the commonest
// reading of a polyphone). Parley.Core's ChineseHomophones reads it to correct homophone typos.
//
//   dotnet run --project tools/Parley.PinyinTable -- src/Parley.Core/Text/Data/pinyin.tsv
using System.Text;
using ICU4N.Text;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: Parley.PinyinTable <output.tsv>");
    return 2;
}

var transliterator = Transliterator.GetInstance("Han-Latin; Latin-ASCII; Lower");
var bySyllable = new SortedDictionary<string, StringBuilder>(StringComparer.Ordinal);
for (var code = 0x4E00; code <= 0x9FFF; code++)
{
    var character = ((char)code).ToString();
    var syllable = transliterator.Transliterate(character).Trim();
    if (syllable.Length == 0 || syllable == character || !syllable.All(c => c is >= 'a' and <= 'z'))
    {
        continue; // no reading
    }

    if (!bySyllable.TryGetValue(syllable, out var characters))
    {
        bySyllable[syllable] = characters = new StringBuilder();
    }

    characters.Append(character);
}

var output = Path.GetFullPath(args[0]);
var temporary = output + ".tmp";
await using (var writer = new StreamWriter(temporary, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" })
{
    foreach (var (syllable, characters) in bySyllable)
    {
        await writer.WriteLineAsync($"{syllable}\t{characters}");
    }
}

File.Move(temporary, output, overwrite: true);
Console.WriteLine($"{output}: {bySyllable.Count} syllables, {bySyllable.Values.Sum(c => c.Length)} characters");
return 0;
