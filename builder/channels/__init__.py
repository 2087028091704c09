"""How items reach people: page addresses, campaign-tagged links, share links, QR codes, post drafts and newsletter digests."""
