#!/usr/bin/env python
from ocop_site.manage import main

if __name__ == "__main__":
    main()
