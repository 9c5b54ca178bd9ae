using System.Text;
using System.Xml;
using PiiScanner.Extraction.Structure;

namespace PiiScanner.Extraction.Markup;

/// <summary>
/// Generic XML, streamed with <see cref="XmlReader"/>: an element with attributes or element children is a record
/// (<see cref="GroupKind.Record"/>, locator an XPath-like path <c>/patients/patient[3]</c>) whose fields are its
/// attributes and scalar child elements, named <c>patient/ssn</c>, <c>patient/@id</c>; text in mixed content is a
/// text segment labelled with its element path. DTDs are ignored and nothing external is ever resolved, so
/// entity tricks (XXE, billion laughs) expand nothing: a reference to such an entity stops the reading there and
/// the item is <c>partial</c>. Malformed XML keeps what was read before the error. Stateless and thread-safe.
/// </summary>
internal sealed class XmlExtractor : IExtractor
{
    private const int MaxFieldsPerRecord = 512;

    /// <inheritdoc />
    public string Name => "xml";

    /// <inheritdoc />
    public bool CanExtract(ReadOnlySpan<byte> head, string path) => MarkupSniffer.IsXml(head);

    /// <inheritdoc />
    public async ValueTask ExtractAsync(ExtractionContext context, CancellationToken cancellationToken)
    {
        var settings = new XmlReaderSettings
        {
            Async = true,
            DtdProcessing = DtdProcessing.Ignore,
            XmlResolver = null,
            MaxCharactersFromEntities = 1024,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
            CheckCharacters = false,
            CloseInput = false,
        };

        var clock = ItemClock.Start(context);
        var stack = new List<Frame>();
        var group = 0;
        var nodes = 0;
        using var reader = XmlReader.Create(context.Content, settings);
        try
        {
            while (await reader.ReadAsync().ConfigureAwait(false))
            {
                if (++nodes % 4096 == 0 && clock.IsOver(context, cancellationToken))
                {
                    return;
                }

                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        Open(reader, stack);
                        if (reader.IsEmptyElement)
                        {
                            Close(context, stack, ref group);
                        }

                        break;
                    case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace:
                        if (stack.Count > 0)
                        {
                            var text = stack[^1].Text;
                            if (text.Length < context.Limits.MaxSegmentChars)
                            {
                                text.Append(reader.Value);
                            }
                        }

                        break;
                    case XmlNodeType.EndElement:
                        Close(context, stack, ref group);
                        break;
                    default:
                        break;
                }
            }
        }
        catch (XmlException ex)
        {
            context.MarkPartial(ex.Message.Contains("entity", StringComparison.OrdinalIgnoreCase)
                ? "malformed: undeclared or external entity (not expanded)"
                : $"malformed: XML error at line {ex.LineNumber}");
            while (stack.Count > 0)
            {
                Close(context, stack, ref group);
            }
        }
    }

    private static Frame Open(XmlReader reader, List<Frame> stack)
    {
        var name = reader.LocalName;
        var parent = stack.Count > 0 ? stack[^1] : null;
        string path;
        if (parent is null)
        {
            path = "/" + name;
        }
        else
        {
            parent.HasElementChildren = true;
            parent.ChildCounts.TryGetValue(name, out var count);
            parent.ChildCounts[name] = ++count;
            path = $"{parent.Path}/{name}[{count}]";
        }

        var frame = new Frame(name, path, parent?.Name);
        if (reader.HasAttributes)
        {
            while (reader.MoveToNextAttribute())
            {
                if (reader.Prefix == "xmlns" || reader.LocalName == "xmlns" || string.IsNullOrWhiteSpace(reader.Value))
                {
                    continue;
                }

                frame.Fields.Add(new Field($"{name}/@{reader.LocalName}", reader.Value.Trim(), $"{path}/@{reader.LocalName}"));
            }

            frame.HasAttributes = frame.Fields.Count > 0;
            reader.MoveToElement();
        }

        stack.Add(frame);
        return frame;
    }

    private static void Close(ExtractionContext context, List<Frame> stack, ref int group)
    {
        var frame = stack[^1];
        stack.RemoveAt(stack.Count - 1);
        var parent = stack.Count > 0 ? stack[^1] : null;
        var text = frame.Text.ToString().Trim();
        var label = frame.ParentName is null ? frame.Name : $"{frame.ParentName}/{frame.Name}";

        // A scalar element (text, no attributes, no children) is a field of its parent's record.
        if (!frame.HasElementChildren && !frame.HasAttributes)
        {
            if (text.Length == 0)
            {
                return;
            }

            if (parent is null)
            {
                SegmentText.EmitText(context, frame.Path, text, ++group, label);
                return;
            }

            parent.Fields.Add(new Field(label, text, frame.Path));
            if (parent.Fields.Count >= MaxFieldsPerRecord)
            {
                Flush(context, parent, ref group);
            }

            return;
        }

        if (text.Length > 0)
        {
            if (frame.HasElementChildren)
            {
                SegmentText.EmitText(context, frame.Path, text, ++group, label);
            }
            else
            {
                frame.Fields.Add(new Field(label, text, frame.Path));
            }
        }

        Flush(context, frame, ref group);
    }

    private static void Flush(ExtractionContext context, Frame frame, ref int group)
    {
        if (frame.Fields.Count == 0)
        {
            return;
        }

        context.Emit(new Segment(frame.Path, string.Empty) { Fields = [.. frame.Fields], Group = ++group, GroupKind = GroupKind.Record });
        frame.Fields.Clear();
    }

    private sealed class Frame(string name, string path, string? parentName)
    {
        public string Name { get; } = name;

        public string Path { get; } = path;

        public string? ParentName { get; } = parentName;

        public Dictionary<string, int> ChildCounts { get; } = new(StringComparer.Ordinal);

        public List<Field> Fields { get; } = [];

        public StringBuilder Text { get; } = new();

        public bool HasElementChildren { get; set; }

        public bool HasAttributes { get; set; }
    }
}
