const express = require('express');
