using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace FlyIo.AppModel.Docker;

/// <summary>
/// A Dockerfile read the way BuildKit reads it: parser directives (<c># syntax=</c>, <c># escape=</c>), comment lines
/// (also inside continuations), line continuations with the escape character, here-documents, exec and shell forms,
/// leading flags, build stages with global ARG defaults substituted into FROM, WORKDIR, ENV and COPY/ADD.
/// </summary>
public sealed class Dockerfile
{
    private static readonly HashSet<string> HeredocKeywords = new(StringComparer.Ordinal) { "RUN", "COPY", "ADD" };

    /// <summary>Instructions that take leading --flags; for CMD or ENTRYPOINT a leading --word is an argument.</summary>
    private static readonly HashSet<string> FlagKeywords = new(StringComparer.Ordinal) { "FROM", "RUN", "COPY", "ADD", "HEALTHCHECK" };

    private Dockerfile(string? path, string text)
    {
        Path = path;
        Text = text;
    }

    /// <summary>The file this was read from, or null when parsed from text.</summary>
    public string? Path { get; }

    public string Text { get; }

    /// <summary>Written by FlyIo.Sdk (<see cref="SdkDockerfile"/>): the image's settings are the generator's.</summary>
    public bool IsGenerated => SdkDockerfile.IsGenerated(Text);

    /// <summary>Parser directives at the top of the file (lower-case name -> value).</summary>
    public IReadOnlyDictionary<string, string> Directives { get; private set; } = new Dictionary<string, string>();

    /// <summary>The escape character (<c>\</c> unless <c># escape=`</c>).</summary>
    public char EscapeChar { get; private set; } = '\\';

    public IReadOnlyList<DockerInstruction> Instructions { get; private set; } = Array.Empty<DockerInstruction>();

    /// <summary>ARGs declared before the first FROM with their defaults (null when declared without one).</summary>
    public IReadOnlyDictionary<string, string?> GlobalArgs { get; private set; } = new Dictionary<string, string?>();

    public IReadOnlyList<DockerStage> Stages { get; private set; } = Array.Empty<DockerStage>();

    /// <summary>The last stage: the image that runs.</summary>
    public DockerStage? FinalStage => Stages.Count == 0 ? null : Stages[Stages.Count - 1];

    public static Dockerfile Load(string path) => Parse(File.ReadAllText(path), path);

    public static Dockerfile Parse(string text, string? path = null)
    {
        var file = new Dockerfile(path, text);
        file.Read(text);
        return file;
    }

    /// <summary>The stage named <paramref name="nameOrIndex"/> (AS name, case-insensitive, or its index).</summary>
    public DockerStage? FindStage(string nameOrIndex)
    {
        foreach (var stage in Stages)
        {
            if (stage.Name is not null && string.Equals(stage.Name, nameOrIndex, StringComparison.OrdinalIgnoreCase))
            {
                return stage;
            }
        }

        if (int.TryParse(nameOrIndex, out var index) && index >= 0 && index < Stages.Count)
        {
            return Stages[index];
        }

        return null;
    }

    /// <summary>Substitutes <c>$NAME</c>, <c>${NAME}</c>, <c>${NAME:-default}</c> and <c>${NAME:+alt}</c>.</summary>
    public static string Substitute(string text, IReadOnlyDictionary<string, string?> variables, char escape = '\\')
    {
        if (text.IndexOf('$') < 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == escape && i + 1 < text.Length && text[i + 1] == '$')
            {
                sb.Append('$');
                i++;
                continue;
            }

            if (c != '$' || i + 1 >= text.Length)
            {
                sb.Append(c);
                continue;
            }

            if (text[i + 1] == '{')
            {
                var close = text.IndexOf('}', i + 2);
                if (close < 0)
                {
                    sb.Append(c);
                    continue;
                }

                var body = text.Substring(i + 2, close - i - 2);
                var name = body;
                string? modifier = null;
                string? word = null;
                var colon = body.IndexOf(':');
                if (colon >= 0 && colon + 1 < body.Length && (body[colon + 1] == '-' || body[colon + 1] == '+'))
                {
                    name = body.Substring(0, colon);
                    modifier = body.Substring(colon, 2);
                    word = body.Substring(colon + 2);
                }

                variables.TryGetValue(name, out var value);
                if (modifier == ":-")
                {
                    sb.Append(string.IsNullOrEmpty(value) ? Substitute(word!, variables, escape) : value);
                }
                else if (modifier == ":+")
                {
                    sb.Append(string.IsNullOrEmpty(value) ? string.Empty : Substitute(word!, variables, escape));
                }
                else
                {
                    sb.Append(value ?? string.Empty);
                }

                i = close;
                continue;
            }

            var end = i + 1;
            while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] == '_'))
            {
                end++;
            }

            if (end == i + 1)
            {
                sb.Append(c);
                continue;
            }

            variables.TryGetValue(text.Substring(i + 1, end - i - 1), out var plain);
            sb.Append(plain ?? string.Empty);
            i = end - 1;
        }

        return sb.ToString();
    }

    private void Read(string text)
    {
        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        if (lines.Length > 0 && lines[0].Length > 0 && lines[0][0] == '\uFEFF')
        {
            lines[0] = lines[0].Substring(1);
        }

        var index = ReadDirectives(lines);
        var instructions = new List<DockerInstruction>();
        while (index < lines.Length)
        {
            var line = lines[index];
            var trimmed = line.TrimStart();
            if (trimmed.Length == 0 || trimmed[0] == '#')
            {
                index++;
                continue;
            }

            var startLine = index + 1;
            var column = line.Length - trimmed.Length + 1;
            var joined = new StringBuilder();
            var current = trimmed;
            while (true)
            {
                var content = current.TrimEnd();
                if (content.Length > 0 && content[content.Length - 1] == EscapeChar && index + 1 < lines.Length)
                {
                    joined.Append(content, 0, content.Length - 1);
                    index++;

                    // Comment lines and empty lines inside a continued instruction are dropped.
                    while (index < lines.Length)
                    {
                        var next = lines[index].TrimStart();
                        if (next.Length > 0 && next[0] == '#')
                        {
                            index++;
                            continue;
                        }

                        if (next.Length == 0 && index + 1 < lines.Length)
                        {
                            index++;
                            continue;
                        }

                        break;
                    }

                    current = index < lines.Length ? lines[index] : string.Empty;
                    continue;
                }

                joined.Append(current);
                break;
            }

            var endLine = index + 1;
            index++;
            var full = joined.ToString().Trim();
            var split = 0;
            while (split < full.Length && !char.IsWhiteSpace(full[split]))
            {
                split++;
            }

            var keyword = full.Substring(0, split).ToUpperInvariant();
            var arguments = full.Substring(split).Trim();
            var heredocs = new List<string>();
            if (HeredocKeywords.Contains(keyword))
            {
                index = ReadHeredocs(arguments, lines, index, heredocs);
                if (heredocs.Count > 0)
                {
                    endLine = index;
                }
            }

            instructions.Add(Build(keyword, arguments, startLine, column, endLine, heredocs));
        }

        Instructions = instructions;
        BuildStages();
    }

    private int ReadDirectives(string[] lines)
    {
        var directives = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var index = 0;
        while (index < lines.Length)
        {
            var trimmed = lines[index].Trim();
            if (trimmed.Length < 2 || trimmed[0] != '#')
            {
                break;
            }

            var body = trimmed.Substring(1).Trim();
            var eq = body.IndexOf('=');
            if (eq <= 0)
            {
                break;
            }

            var name = body.Substring(0, eq).Trim().ToLowerInvariant();
            if (name.IndexOf(' ') >= 0 || directives.ContainsKey(name))
            {
                break;
            }

            var value = body.Substring(eq + 1).Trim();
            directives[name] = value;
            if (name == "escape" && value.Length == 1 && (value[0] == '`' || value[0] == '\\'))
            {
                EscapeChar = value[0];
            }

            index++;
        }

        Directives = directives;
        return index;
    }

    private static int ReadHeredocs(string arguments, string[] lines, int index, List<string> bodies)
    {
        var position = 0;
        while (true)
        {
            var at = arguments.IndexOf("<<", position, StringComparison.Ordinal);
            if (at < 0)
            {
                return index;
            }

            var p = at + 2;
            var stripTabs = false;
            if (p < arguments.Length && arguments[p] == '-')
            {
                stripTabs = true;
                p++;
            }

            var quote = p < arguments.Length && (arguments[p] == '"' || arguments[p] == '\'') ? arguments[p] : '\0';
            if (quote != '\0')
            {
                p++;
            }

            var start = p;
            while (p < arguments.Length && (char.IsLetterOrDigit(arguments[p]) || arguments[p] == '_'))
            {
                p++;
            }

            position = p;
            if (p == start)
            {
                continue;
            }

            var word = arguments.Substring(start, p - start);
            var body = new StringBuilder();
            while (index < lines.Length)
            {
                var line = lines[index];
                index++;
                var candidate = stripTabs ? line.TrimStart('\t') : line;
                if (candidate == word)
                {
                    break;
                }

                body.Append(candidate).Append('\n');
            }

            bodies.Add(body.ToString());
        }
    }

    private static DockerInstruction Build(string keyword, string arguments, int line, int column, int endLine, List<string> heredocs)
    {
        var flags = new List<KeyValuePair<string, string?>>();
        var rest = arguments;
        if (FlagKeywords.Contains(keyword))
        {
            while (rest.StartsWith("--", StringComparison.Ordinal))
            {
                var end = 0;
                while (end < rest.Length && !char.IsWhiteSpace(rest[end]))
                {
                    end++;
                }

                var flag = rest.Substring(2, end - 2);
                var eq = flag.IndexOf('=');
                flags.Add(eq < 0
                    ? new KeyValuePair<string, string?>(flag, null)
                    : new KeyValuePair<string, string?>(flag.Substring(0, eq), Unquote(flag.Substring(eq + 1))));
                rest = rest.Substring(end).TrimStart();
            }
        }

        var exec = TryParseJsonArray(rest);
        return exec is not null
            ? new DockerInstruction(keyword, arguments, line, column, endLine, flags, rest, true, exec, heredocs)
            : new DockerInstruction(keyword, arguments, line, column, endLine, flags, rest, false, ShellWords.SplitArguments(rest), heredocs);
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[value.Length - 1] == value[0]
            ? value.Substring(1, value.Length - 2)
            : value;

    /// <summary>Parses a JSON array of strings (exec form), or returns null when the text is not one.</summary>
    public static IReadOnlyList<string>? TryParseJsonArray(string text)
    {
        var s = text.Trim();
        if (s.Length < 2 || s[0] != '[' || s[s.Length - 1] != ']')
        {
            return null;
        }

        var items = new List<string>();
        var i = 1;
        var expectItem = true;
        while (true)
        {
            while (i < s.Length && char.IsWhiteSpace(s[i]))
            {
                i++;
            }

            if (i >= s.Length)
            {
                return null;
            }

            if (s[i] == ']')
            {
                return i == s.Length - 1 && (items.Count == 0 || !expectItem) ? items : null;
            }

            if (!expectItem)
            {
                if (s[i] != ',')
                {
                    return null;
                }

                i++;
                expectItem = true;
                continue;
            }

            if (s[i] != '"')
            {
                return null;
            }

            var sb = new StringBuilder();
            i++;
            while (i < s.Length && s[i] != '"')
            {
                if (s[i] == '\\' && i + 1 < s.Length)
                {
                    i++;
                    switch (s[i])
                    {
                        case 'n': sb.Append('\n'); break;
                        case 't': sb.Append('\t'); break;
                        case 'r': sb.Append('\r'); break;
                        case 'b': sb.Append('\b'); break;
                        case 'f': sb.Append('\f'); break;
                        case 'u' when i + 4 < s.Length:
                            sb.Append((char)Convert.ToInt32(s.Substring(i + 1, 4), 16));
                            i += 4;
                            break;
                        default: sb.Append(s[i]); break;
                    }
                }
                else
                {
                    sb.Append(s[i]);
                }

                i++;
            }

            if (i >= s.Length)
            {
                return null;
            }

            i++;
            items.Add(sb.ToString());
            expectItem = false;
        }
    }

    private void BuildStages()
    {
        var globalArgs = new Dictionary<string, string?>(StringComparer.Ordinal);
        var stages = new List<DockerStage>();
        DockerStage? current = null;
        foreach (var instruction in Instructions)
        {
            if (instruction.Keyword == "FROM")
            {
                var words = instruction.Words;
                var image = words.Count > 0 ? words[0] : string.Empty;
                string? name = null;
                if (words.Count >= 3 && string.Equals(words[1], "AS", StringComparison.OrdinalIgnoreCase))
                {
                    name = words[2];
                }

                var resolved = Substitute(image, globalArgs, EscapeChar);
                current = new DockerStage(stages.Count, instruction, image, resolved, name, instruction.Flag("platform"));
                foreach (var earlier in stages)
                {
                    if (earlier.Name is not null && string.Equals(earlier.Name, resolved, StringComparison.OrdinalIgnoreCase))
                    {
                        current.BaseStage = earlier;
                    }
                }

                stages.Add(current);
                continue;
            }

            if (current is null)
            {
                if (instruction.Keyword == "ARG")
                {
                    foreach (var pair in ParseAssignments(instruction.Arguments, allowBare: true))
                    {
                        globalArgs[pair.Key] = pair.Value is null ? null : Substitute(pair.Value, globalArgs, EscapeChar);
                    }
                }

                continue;
            }

            current.InstructionList.Add(instruction);
        }

        GlobalArgs = globalArgs;
        foreach (var stage in stages)
        {
            FillStage(stage, globalArgs);
        }

        Stages = stages;
    }

    private void FillStage(DockerStage stage, Dictionary<string, string?> globalArgs)
    {
        var workdir = stage.BaseStage?.FinalWorkdir ?? "/";
        stage.InitialWorkdir = workdir;
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var pair in stage.BaseStage?.EffectiveEnv ?? new Dictionary<string, string>())
        {
            variables[pair.Key] = pair.Value;
        }

        var copies = new List<DockerCopy>();
        var env = new List<KeyValuePair<string, string>>();
        stage.Entrypoint = stage.BaseStage?.Entrypoint;
        stage.Cmd = stage.BaseStage?.Cmd;
        var cmdSet = false;
        var exposed = new List<ExposedPort>(stage.BaseStage?.ExposedPorts ?? Array.Empty<ExposedPort>());
        foreach (var instruction in stage.InstructionList)
        {
            instruction.Workdir = workdir;
            switch (instruction.Keyword)
            {
                case "ARG":
                    foreach (var pair in ParseAssignments(instruction.Arguments, allowBare: true))
                    {
                        // A stage ARG without a default inherits the global default of the same name.
                        var value = pair.Value ?? (globalArgs.TryGetValue(pair.Key, out var g) ? g : null);
                        variables[pair.Key] = value is null ? null : Substitute(value, variables, EscapeChar);
                    }

                    break;
                case "ENV":
                    foreach (var pair in ParseAssignments(instruction.Arguments, allowBare: false))
                    {
                        var value = Substitute(pair.Value ?? string.Empty, variables, EscapeChar);
                        variables[pair.Key] = value;
                        env.Add(new KeyValuePair<string, string>(pair.Key, value));
                    }

                    break;
                case "WORKDIR":
                    var dir = Substitute(string.Join(" ", instruction.Words), variables, EscapeChar);
                    workdir = DockerPaths.Resolve(workdir, dir).TrimEnd('/');
                    if (workdir.Length == 0)
                    {
                        workdir = "/";
                    }

                    break;
                case "ENTRYPOINT":
                    // As in BuildKit: ENTRYPOINT clears the base's CMD, not one set earlier in the same stage.
                    stage.Entrypoint = ImageCommand.Of(instruction);
                    stage.Cmd = cmdSet ? stage.Cmd : null;
                    break;
                case "EXPOSE":
                    foreach (var word in instruction.Words)
                    {
                        var port = Substitute(word, variables, EscapeChar).Split('/', '-')[0];
                        if (int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                        {
                            exposed.Add(new ExposedPort(number, instruction.Line));
                        }
                    }

                    break;
                case "CMD":
                    stage.Cmd = ImageCommand.Of(instruction);
                    cmdSet = true;
                    break;
                case "COPY":
                case "ADD":
                    var words = new List<string>();
                    foreach (var word in instruction.Words)
                    {
                        words.Add(Substitute(word, variables, EscapeChar));
                    }

                    if (words.Count >= 2)
                    {
                        copies.Add(new DockerCopy(instruction, words.GetRange(0, words.Count - 1), words[words.Count - 1], workdir));
                    }

                    break;
            }
        }

        stage.Copies = copies;
        stage.ExposedPorts = exposed;
        stage.Env = env;
        stage.FinalWorkdir = workdir;
    }

    /// <summary>Reads <c>NAME=value NAME2="v 2"</c> pairs, or the legacy <c>ENV NAME value with spaces</c> form.</summary>
    public static IReadOnlyList<KeyValuePair<string, string?>> ParseAssignments(string arguments, bool allowBare)
    {
        var result = new List<KeyValuePair<string, string?>>();
        var words = ShellWords.SplitArguments(arguments);
        if (words.Count == 0)
        {
            return result;
        }

        if (!allowBare && words[0].IndexOf('=') < 0)
        {
            // Legacy form: ENV NAME the rest of the line.
            var text = arguments.Trim();
            var space = 0;
            while (space < text.Length && !char.IsWhiteSpace(text[space]))
            {
                space++;
            }

            result.Add(new KeyValuePair<string, string?>(text.Substring(0, space), Unquote(text.Substring(space).Trim())));
            return result;
        }

        foreach (var word in words)
        {
            var eq = word.IndexOf('=');
            result.Add(eq < 0
                ? new KeyValuePair<string, string?>(word, null)
                : new KeyValuePair<string, string?>(word.Substring(0, eq), word.Substring(eq + 1)));
        }

        return result;
    }
}
