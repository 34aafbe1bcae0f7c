using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace MDEngine.ML.IO.Pickle;

/// <summary>
/// A restricted reader of Python's pickle format (protocols 2–4, the opcodes torch.save writes). It runs nothing: a
/// class or function the pickle names becomes a <see cref="PyGlobal"/>, a call of one a <see cref="PyObject"/>
/// holding its arguments and state, except the few the caller resolves (<paramref name="call"/>: tensors, say).
/// A name that <paramref name="allowed"/> refuses stops the reading with an error naming it, before anything is
/// built from it. Tuples become <c>object?[]</c>, lists <c>List&lt;object?&gt;</c>, dicts <see cref="PyDict"/>,
/// integers <c>long</c> (or <see cref="BigInteger"/>), floats <c>double</c>, str <c>string</c>, bytes <c>byte[]</c>.
/// </summary>
public sealed class PickleReader(
    Func<PyGlobal, bool> allowed,
    Func<PyGlobal, IReadOnlyList<object?>, object?>? call = null,
    Func<object?, object?>? persistentLoad = null)
{
    public object? Read(byte[] data)
    {
        var stack = new List<object?>();
        var marks = new Stack<int>();
        var memo = new Dictionary<long, object?>();
        int pos = 0;

        ReadOnlySpan<byte> Take(long n)
        {
            if (n < 0 || pos + n > data.Length) throw new InvalidDataException($"the pickle ends early (at byte {pos}, {n} more needed)");
            var span = data.AsSpan(pos, (int)n);
            pos += (int)n;
            return span;
        }
        string Line()
        {
            int end = Array.IndexOf(data, (byte)'\n', pos);
            if (end < 0) throw new InvalidDataException($"the pickle ends early (an unterminated name at byte {pos})");
            string s = Encoding.ASCII.GetString(data, pos, end - pos);
            pos = end + 1;
            return s;
        }
        object? Pop()
        {
            if (stack.Count == 0) throw new InvalidDataException($"malformed pickle: the stack is empty at byte {pos}");
            var v = stack[^1];
            stack.RemoveAt(stack.Count - 1);
            return v;
        }
        List<object?> PopToMark()
        {
            if (marks.Count == 0) throw new InvalidDataException($"malformed pickle: no mark at byte {pos}");
            int m = marks.Pop();
            var items = stack.GetRange(m, stack.Count - m);
            stack.RemoveRange(m, stack.Count - m);
            return items;
        }
        PyGlobal Global(string module, string name)
        {
            var g = new PyGlobal(module, name);
            if (!allowed(g)) throw new InvalidDataException($"the pickle names {g.FullName}, which a model file has no reason to contain; refused");
            return g;
        }
        object? Call(object? callable, IReadOnlyList<object?> args)
        {
            if (callable is not PyGlobal g) throw new InvalidDataException($"malformed pickle: a call of a {callable?.GetType().Name ?? "None"} at byte {pos}");
            if (call?.Invoke(g, args) is { } resolved) return resolved;
            return g.FullName switch
            {
                "collections.OrderedDict" or "builtins.dict" or "__builtin__.dict" => new PyDict(),
                "builtins.set" or "__builtin__.set" or "builtins.frozenset" or "__builtin__.frozenset" =>
                    args.Count == 0 ? new List<object?>() : new List<object?>(args[0] as IEnumerable<object?> ?? []),
                "_codecs.encode" when args is [string text, ..] => Encoding.Latin1.GetBytes(text),
                _ => new PyObject(g, args),
            };
        }
        object Key(object? k) => k ?? PyNone.Instance;
        void SetItems(object? target, IReadOnlyList<object?> items)
        {
            if (target is not PyDict dict) throw new InvalidDataException($"malformed pickle: items set on a {target?.GetType().Name ?? "None"} at byte {pos}");
            for (int k = 0; k + 1 < items.Count; k += 2) dict[Key(items[k])] = items[k + 1];
        }
        void Append(object? target, IEnumerable<object?> items)
        {
            if (target is not List<object?> list) throw new InvalidDataException($"malformed pickle: items appended to a {target?.GetType().Name ?? "None"} at byte {pos}");
            list.AddRange(items);
        }

        while (true)
        {
            if (pos >= data.Length) throw new InvalidDataException("the pickle ends early (no STOP)");
            byte op = data[pos++];
            switch (op)
            {
                case 0x80: Take(1); break;                                             // PROTO
                case 0x95: Take(8); break;                                             // FRAME
                case (byte)'.': return stack.Count == 1 ? stack[0] : throw new InvalidDataException("malformed pickle: STOP with a stack of " + stack.Count);
                case (byte)'(': marks.Push(stack.Count); break;                        // MARK
                case (byte)'}': stack.Add(new PyDict()); break;                        // EMPTY_DICT
                case (byte)']': stack.Add(new List<object?>()); break;                 // EMPTY_LIST
                case (byte)')': stack.Add(Array.Empty<object?>()); break;              // EMPTY_TUPLE
                case 0x8f: stack.Add(new List<object?>()); break;                      // EMPTY_SET
                case 0x85: stack.Add(new[] { Pop() }); break;                          // TUPLE1
                case 0x86: { var b = Pop(); var a = Pop(); stack.Add(new[] { a, b }); break; }
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); stack.Add(new[] { a, b, c }); break; }
                case (byte)'t': stack.Add(PopToMark().ToArray()); break;               // TUPLE
                case (byte)'l': stack.Add(PopToMark()); break;                         // LIST
                case 0x91: stack.Add(PopToMark()); break;                              // FROZENSET
                case (byte)'d': { var d = new PyDict(); SetItems(d, PopToMark()); stack.Add(d); break; }
                case (byte)'J': stack.Add((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break;
                case (byte)'K': stack.Add((long)Take(1)[0]); break;
                case (byte)'M': stack.Add((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break;
                case 0x8a: { int n = Take(1)[0]; stack.Add(Integer(Take(n))); break; }          // LONG1
                case 0x8b: { int n = BinaryPrimitives.ReadInt32LittleEndian(Take(4)); stack.Add(Integer(Take(n))); break; }
                case (byte)'G': stack.Add(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break; // BINFLOAT
                case (byte)'X': { var n = BinaryPrimitives.ReadUInt32LittleEndian(Take(4)); stack.Add(Encoding.UTF8.GetString(Take(n))); break; }
                case 0x8c: { int n = Take(1)[0]; stack.Add(Encoding.UTF8.GetString(Take(n))); break; }
                case 0x8d: { var n = BinaryPrimitives.ReadInt64LittleEndian(Take(8)); stack.Add(Encoding.UTF8.GetString(Take(n))); break; }
                case (byte)'T': { var n = BinaryPrimitives.ReadInt32LittleEndian(Take(4)); stack.Add(Encoding.Latin1.GetString(Take(n))); break; }
                case (byte)'U': { int n = Take(1)[0]; stack.Add(Encoding.Latin1.GetString(Take(n))); break; }
                case (byte)'B': { var n = BinaryPrimitives.ReadUInt32LittleEndian(Take(4)); stack.Add(Take(n).ToArray()); break; }
                case (byte)'C': { int n = Take(1)[0]; stack.Add(Take(n).ToArray()); break; }
                case (byte)'N': stack.Add(null); break;
                case 0x88: stack.Add(true); break;
                case 0x89: stack.Add(false); break;
                case (byte)'c': { string module = Line(), name = Line(); stack.Add(Global(module, name)); break; }
                case 0x93: { var name = Pop() as string; var module = Pop() as string; stack.Add(Global(module ?? "", name ?? "")); break; }
                case (byte)'R': { var args = Pop() as object?[] ?? throw new InvalidDataException($"malformed pickle: REDUCE without a tuple at byte {pos}"); stack.Add(Call(Pop(), args)); break; }
                case 0x81: { var args = Pop() as object?[] ?? []; stack.Add(Call(Pop(), args)); break; }      // NEWOBJ
                case 0x92: { Pop(); var args = Pop() as object?[] ?? []; stack.Add(Call(Pop(), args)); break; } // NEWOBJ_EX (kwargs dropped)
                case (byte)'b':                                                          // BUILD
                {
                    var state = Pop();
                    if (stack.Count == 0) throw new InvalidDataException($"malformed pickle: BUILD on an empty stack at byte {pos}");
                    if (stack[^1] is PyObject o) o.State = state;
                    else if (stack[^1] is PyDict d && state is PyDict s) foreach (var kv in s) d[kv.Key] = kv.Value;
                    break;
                }
                case (byte)'s': { var v = Pop(); var k = Pop(); SetItems(stack.Count > 0 ? stack[^1] : null, [k, v]); break; }
                case (byte)'u': { var items = PopToMark(); SetItems(stack.Count > 0 ? stack[^1] : null, items); break; }
                case (byte)'a': { var v = Pop(); Append(stack.Count > 0 ? stack[^1] : null, [v]); break; }
                case (byte)'e': { var items = PopToMark(); Append(stack.Count > 0 ? stack[^1] : null, items); break; }
                case 0x90: { var items = PopToMark(); Append(stack.Count > 0 ? stack[^1] : null, items); break; } // ADDITEMS
                case (byte)'Q':                                                          // BINPERSID
                {
                    var pid = Pop();
                    stack.Add(persistentLoad is not null ? persistentLoad(pid) : throw new InvalidDataException("the pickle refers to external data (a persistent id) this reader cannot resolve"));
                    break;
                }
                case (byte)'q': memo[Take(1)[0]] = stack.Count > 0 ? stack[^1] : null; break;
                case (byte)'r': memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(4))] = stack.Count > 0 ? stack[^1] : null; break;
                case 0x94: memo[memo.Count] = stack.Count > 0 ? stack[^1] : null; break; // MEMOIZE
                case (byte)'h': stack.Add(Memo(memo, Take(1)[0])); break;
                case (byte)'j': stack.Add(Memo(memo, BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))); break;
                case (byte)'0': Pop(); break;                                            // POP
                case (byte)'1': PopToMark(); break;                                      // POP_MARK
                case (byte)'2': stack.Add(stack.Count > 0 ? stack[^1] : throw new InvalidDataException("malformed pickle: DUP on an empty stack")); break;
                default: throw new InvalidDataException($"the pickle has opcode 0x{op:x2} at byte {pos - 1}, which a torch file does not use");
            }
        }
    }

    private static object? Memo(Dictionary<long, object?> memo, long key) =>
        memo.TryGetValue(key, out var v) ? v : throw new InvalidDataException($"malformed pickle: memo entry {key} read before it is written");

    /// <summary>A little-endian two's-complement integer (LONG1/LONG4).</summary>
    private static object Integer(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0) return 0L;
        var value = new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
        return value >= long.MinValue && value <= long.MaxValue ? (long)value : value;
    }
}
