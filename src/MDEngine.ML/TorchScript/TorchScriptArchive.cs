using System.IO.Compression;
using System.Text;
using MDEngine.ML.Graphs;

namespace MDEngine.ML.TorchScript;

/// <summary>
/// A TorchScript file read as what it is on disk: a zip archive <c>ROOT/{data.pkl, code/, constants/, extra/, ...}</c>
/// (the format <c>torch.jit.save</c> writes). It gives the metadata a deployment stores beside the model (the
/// <c>_extra_files</c>: cutoff and species names that LAMMPS's pair styles read), the top-level class and the source of
/// its <c>forward</c>, and can add a method to that class. The last is how a model whose <c>forward</c> takes or returns
/// a <c>Dict[str, Tensor]</c> (which TorchSharp cannot pass) is called: a method with plain tensor arguments, compiled
/// from source when the archive loads, builds the dictionary and returns a <c>List[Tensor]</c>.
/// </summary>
public sealed class TorchScriptArchive
{
    private readonly byte[] _bytes;
    private readonly Dictionary<string, byte[]> _entries;

    /// <summary>The archive's top folder (the file's stem when it was saved).</summary>
    public string Root { get; }
    /// <summary>The metadata stored with the model (<c>_extra_files</c>), by name.</summary>
    public IReadOnlyDictionary<string, string> ExtraFiles { get; }
    /// <summary>The top-level module's TorchScript class, e.g. <c>__torch__.sevenn.nn.sequential.AtomGraphSequential</c>.</summary>
    public string QualifiedClassName { get; }
    /// <summary>The top-level class's <c>forward</c> declaration as written in the archive's source (for messages).</summary>
    public string ForwardSignature { get; }

    private readonly string _codePath;
    private readonly string[] _classBody;
    private readonly string _className;

    private TorchScriptArchive(byte[] bytes, Dictionary<string, byte[]> entries, string root, string module, string className)
    {
        _bytes = bytes; _entries = entries; Root = root; _className = className;
        QualifiedClassName = module + "." + className;
        _codePath = $"{root}/code/{module.Replace('.', '/')}.py";
        if (!entries.ContainsKey(_codePath)) throw new ModelException($"the TorchScript archive has no source for its top-level class ({_codePath})");
        ExtraFiles = entries.Where(e => e.Key.StartsWith(root + "/extra/", StringComparison.Ordinal))
            .ToDictionary(e => e.Key[(root.Length + 7)..], e => Encoding.UTF8.GetString(e.Value).Trim());
        _classBody = ClassBody(Encoding.UTF8.GetString(entries[_codePath]), className);
        ForwardSignature = FindForward(_classBody);
    }

    /// <summary>Reads a TorchScript file; a file that is something else (a pickled model, an AOTInductor package, not a
    /// zip at all) is refused with a <see cref="ModelException"/> that says what it is.</summary>
    public static TorchScriptArchive Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var kind = TorchFileKind.Of(bytes);
        switch (kind)
        {
            case TorchFileKind.Kind.NotZip:
                throw new ModelException("not a TorchScript file (not a zip archive: corrupt, or a legacy torch.save pickle)");
            case TorchFileKind.Kind.AotInductor:
                throw new ModelException("an AOTInductor package (.pt2, compiled machine code for one torch version), which libtorch's " +
                    "TorchScript loader cannot read; make a TorchScript file instead, e.g. `nequip-compile --mode torchscript " +
                    "model.ckpt model.nequip.pth` for NequIP/Allegro, and pass that");
            case TorchFileKind.Kind.Pickle:
                throw new ModelException("a pickled PyTorch object (torch.save), not a TorchScript file: it holds Python classes " +
                    "that only Python can rebuild; save the model with torch.jit.script(model).save(...) or the family's deploy tool");
        }
        var entries = TorchFileKind.Entries(bytes);
        string root = entries.Keys.First().Split('/')[0];
        var (module, cls) = TopLevelClass(entries[root + "/data.pkl"]);
        return new TorchScriptArchive(bytes, entries, root, module, cls);
    }

    /// <summary>True when the top-level class declares an attribute (a buffer, parameter or submodule) of this name,
    /// as a line <c>name : Type</c> of its body.</summary>
    public bool DeclaresAttribute(string name) =>
        _classBody.Any(l => l.StartsWith("  " + name + " :", StringComparison.Ordinal));

    /// <summary>The archive with <paramref name="methodSource"/> (TorchScript, indented by two spaces like the class
    /// body; <c>SELF</c> stands for the class's qualified name) added to the top-level class. The class's source-range
    /// table (<c>.debug_pkl</c>) is left out: it maps the original text only, and TorchScript works without it.</summary>
    public byte[] WithMethods(string methodSource)
    {
        string code = Encoding.UTF8.GetString(_entries[_codePath]);
        string patched = InsertIntoClass(code, _className, methodSource.Replace("SELF", QualifiedClassName, StringComparison.Ordinal));
        using var output = new MemoryStream(_bytes.Length + methodSource.Length + 1024);
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, data) in _entries)
            {
                if (name == _codePath + ".debug_pkl") continue;
                // Stored uncompressed and in the original order, as torch.jit.save writes them (libtorch reads
                // tensors in place and accepts stored entries only).
                using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
                stream.Write(name == _codePath ? Encoding.UTF8.GetBytes(patched) : data);
            }
        }
        return output.ToArray();
    }

    /// <summary>The first thing data.pkl does is name the top-level module's class: pickle protocol 2 opens with
    /// PROTO (0x80 0x02) and a GLOBAL opcode <c>c</c> followed by <c>module\nname\n</c>.</summary>
    private static (string Module, string Class) TopLevelClass(byte[] pickle)
    {
        if (pickle.Length < 4 || pickle[0] != 0x80 || pickle[2] != (byte)'c')
            throw new ModelException("data.pkl does not begin with the top-level module's class (not a TorchScript archive)");
        var text = Encoding.ASCII.GetString(pickle, 3, Math.Min(pickle.Length - 3, 1024)).Split('\n');
        if (text.Length < 3 || !text[0].StartsWith("__torch__", StringComparison.Ordinal))
            throw new ModelException("data.pkl names no TorchScript class (not a TorchScript archive)");
        return (text[0], text[1]);
    }

    /// <summary>The lines from <c>def forward(</c> to the end of its declaration (the line ending in <c>:</c>).</summary>
    private static string FindForward(string[] lines)
    {
        int start = Array.FindIndex(lines, l => l.TrimStart().StartsWith("def forward(", StringComparison.Ordinal));
        if (start < 0) return "(no forward method)";
        var declaration = new StringBuilder();
        for (int k = start; k < lines.Length; k++)
        {
            declaration.Append(' ').Append(lines[k].Trim());
            if (lines[k].TrimEnd().EndsWith(':')) break;
        }
        // "self: __torch__.a.b.Class" says nothing to a reader; keep "self".
        return System.Text.RegularExpressions.Regex.Replace(declaration.ToString().Trim(), @"self: [\w\.]+", "self");
    }

    private static string[] ClassBody(string code, string className)
    {
        var lines = code.Split('\n');
        int start = Array.FindIndex(lines, l => l.StartsWith($"class {className}(", StringComparison.Ordinal));
        if (start < 0) throw new ModelException($"the archive's source has no class {className}");
        int end = Array.FindIndex(lines, start + 1, l => l.Length > 0 && !char.IsWhiteSpace(l[0]));
        return lines[start..(end < 0 ? lines.Length : end)];
    }

    /// <summary>Puts the method at the end of the class body: before the next unindented line (another class or
    /// function of the same file), or at the end of the file.</summary>
    private static string InsertIntoClass(string code, string className, string method)
    {
        var lines = code.Split('\n').ToList();
        int start = lines.FindIndex(l => l.StartsWith($"class {className}(", StringComparison.Ordinal));
        int end = lines.FindIndex(start + 1, l => l.Length > 0 && !char.IsWhiteSpace(l[0]));
        if (end < 0) end = lines.Count;
        while (end > start + 1 && lines[end - 1].Trim().Length == 0) end--;
        lines.Insert(end, method.TrimEnd('\n'));
        return string.Join('\n', lines) + (code.EndsWith('\n') ? "" : "\n");
    }
}
