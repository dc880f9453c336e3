"""Small valid files for upload tests: documents' content is checked (agreements.uploads),
so a test that means "a PDF" uploads one that parses."""

# One page of 3 × 3 points; pypdf reads it (the cross-reference table is rebuilt).
MINIMAL_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
               b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
               b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 3 3]>>endobj\n"
               b"trailer<</Root 1 0 R>>\nstartxref\n0\n%%EOF\n")

# One red pixel (Pillow-written).
MINIMAL_PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
               b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc8!'\x07\x00\x02\xb6\x01\x054\xa6u\xaa\x00"
               b"\x00\x00\x00IEND\xaeB`\x82")
