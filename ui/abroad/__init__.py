"""Help for people who live abroad: the routes that exist (DigiD, eIDAS, paper, phone)."""
